package dev.loomcounter.counting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FairCpuPoolTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** About ten milliseconds of busy loop: long enough that slices queue up behind one another. */
    private static final long SLICE = 8_000_000;

    private static CompletableFuture<Effort> spinInVirtualThread(FairCpuPool pool, Object requester, long iterations) {
        CompletableFuture<Effort> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(pool.spin(requester, iterations));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Test
    void runsEverySliceExactly() throws Exception {
        try (FairCpuPool pool = new FairCpuPool(2)) {
            List<CompletableFuture<Effort>> results = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                results.add(spinInVirtualThread(pool, "request-" + (i % 3), 1_000L * i));
            }
            for (int i = 1; i <= 20; i++) {
                assertThat(results.get(i - 1).get().value()).isEqualTo(1_000.0 * i);
            }
        }
    }

    @Test
    void takesTurnsByRequesterNotByArrival() throws Exception {
        try (FairCpuPool pool = new FairCpuPool(1)) {
            // Keeps the one pool thread busy (about a second) while the large request's slices queue up.
            CompletableFuture<Effort> blocker = spinInVirtualThread(pool, "blocker", 100 * SLICE);
            await().atMost(PATIENCE).until(() -> pool.queuedSlices() == 0);
            AtomicInteger largeDone = new AtomicInteger();
            List<CompletableFuture<Effort>> large = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                CompletableFuture<Effort> slice = spinInVirtualThread(pool, "large", SLICE);
                slice.thenRun(largeDone::incrementAndGet);
                large.add(slice);
            }
            await().atMost(PATIENCE).until(() -> pool.queuedSlices() + largeDone.get() == 40);
            int doneBefore = largeDone.get();
            assertThat(spinInVirtualThread(pool, "small", SLICE).get().value()).isEqualTo((double) SLICE);
            // Round-robin: the small request's slice waits for at most the slice running now and one more of the
            // large request's, not for the thirty or so queued ahead of it.
            assertThat(largeDone.get() - doneBefore).isLessThanOrEqualTo(2);
            assertThat(blocker.get().value()).isEqualTo(100.0 * SLICE);
            for (CompletableFuture<Effort> slice : large) {
                assertThat(slice.get().value()).isEqualTo((double) SLICE);
            }
        }
    }

    @Test
    void aCancelledWaiterWithdrawsItsSlice() throws Exception {
        try (FairCpuPool pool = new FairCpuPool(1)) {
            CompletableFuture<Effort> blocker = spinInVirtualThread(pool, "first", 50 * SLICE);
            await().atMost(PATIENCE).until(() -> pool.queuedSlices() == 0); // the blocker is running
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    pool.spin("second", SLICE);
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            await().atMost(PATIENCE).until(() -> pool.queuedSlices() == 1);
            waiter.interrupt();
            assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
            assertThat(pool.queuedSlices()).isZero();
            assertThat(blocker.get().value()).isEqualTo(50.0 * SLICE);
        }
    }

    @Test
    void closingStopsItsThreadsAndCancelsWaiters() throws Exception {
        FairCpuPool pool = new FairCpuPool(1);
        CompletableFuture<Effort> running = spinInVirtualThread(pool, "a", Long.MAX_VALUE / 4);
        await().atMost(PATIENCE).until(() -> pool.queuedSlices() == 0);
        CompletableFuture<Effort> queued = spinInVirtualThread(pool, "b", SLICE);
        await().atMost(PATIENCE).until(() -> pool.queuedSlices() == 1);
        pool.close();
        assertThat(running).failsWithin(PATIENCE).withThrowableThat().havingCause()
                .isInstanceOf(InterruptedException.class);
        assertThat(queued).failsWithin(PATIENCE).withThrowableThat().havingCause()
                .isInstanceOf(InterruptedException.class);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("cpu-1");
    }
}
