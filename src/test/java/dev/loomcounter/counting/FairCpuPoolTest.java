package dev.loomcounter.counting;

import static dev.loomcounter.testing.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FairCpuPoolTest {

    /** About ten milliseconds of busy loop: long enough that slices queue up behind one another. */
    private static final long SLICE = 8_000_000;

    private static RequestContext request(String name) {
        return new RequestContext("test", name);
    }

    private static CompletableFuture<Duration> spinInVirtualThread(FairCpuPool pool, String request, long iterations) {
        CompletableFuture<Duration> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(pool.spin(request(request), iterations));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** The busy loop, except that a slice of 13 iterations throws {@code failure}: an Error or a RuntimeException. */
    private static FairCpuPool.Loop failingAt13(Throwable failure) {
        return iterations -> {
            if (iterations != 13) {
                return BusyLoop.timed(iterations);
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        };
    }

    @Test
    void runsEverySlice() throws Exception {
        AtomicInteger iterationsRun = new AtomicInteger();
        try (FairCpuPool pool = new FairCpuPool(2, iterations -> {
            iterationsRun.addAndGet((int) iterations);
            return BusyLoop.timed(iterations);
        })) {
            List<CompletableFuture<Duration>> results = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                results.add(spinInVirtualThread(pool, "request-" + (i % 3), 1_000L * i));
            }
            for (CompletableFuture<Duration> result : results) {
                assertThat(result.get()).isGreaterThanOrEqualTo(Duration.ZERO);
            }
            assertThat(iterationsRun.get()).isEqualTo(1_000 * (20 * 21 / 2));
        }
    }

    @Test
    void takesTurnsByRequestNotByArrival() throws Exception {
        // Slices are told apart by their length; the blocker holds the one pool thread until the queue is set up.
        long blockerSlice = 999;
        long largeSlice = 1_000;
        long smallSlice = 1_001;
        CountDownLatch release = new CountDownLatch(1);
        List<Long> ranInOrder = new CopyOnWriteArrayList<>();
        try (FairCpuPool pool = new FairCpuPool(1, iterations -> {
            if (iterations == blockerSlice) {
                release.await();
            }
            ranInOrder.add(iterations);
            return BusyLoop.timed(iterations);
        })) {
            CompletableFuture<Duration> blocker = spinInVirtualThread(pool, "blocker", blockerSlice);
            await().atMost(PATIENCE).until(() -> pool.queuedSlices() == 0); // the blocker is running
            List<CompletableFuture<Duration>> slices = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                slices.add(spinInVirtualThread(pool, "large", largeSlice));
            }
            await().atMost(PATIENCE).until(() -> pool.queuedSlices() == 40);
            slices.add(spinInVirtualThread(pool, "small", smallSlice));
            await().atMost(PATIENCE).until(() -> pool.queuedSlices() == 41);
            release.countDown();
            for (CompletableFuture<Duration> slice : slices) {
                assertThat(slice.get()).isGreaterThanOrEqualTo(Duration.ZERO);
            }
            assertThat(blocker.get()).isGreaterThanOrEqualTo(Duration.ZERO);
            // Round-robin: after the blocker, one slice of the large request, then the small request's turn, not
            // after the forty queued ahead of it.
            assertThat(ranInOrder).hasSize(42).startsWith(blockerSlice, largeSlice, smallSlice);
        }
    }

    @Test
    void aCancelledWaiterWithdrawsItsSlice() throws Exception {
        try (FairCpuPool pool = new FairCpuPool(1)) {
            CompletableFuture<Duration> blocker = spinInVirtualThread(pool, "first", 50 * SLICE);
            await().atMost(PATIENCE).until(() -> pool.queuedSlices() == 0); // the blocker is running
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    pool.spin(request("second"), SLICE);
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            await().atMost(PATIENCE).until(() -> pool.queuedSlices() == 1);
            waiter.interrupt();
            assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
            assertThat(pool.queuedSlices()).isZero();
            assertThat(blocker.get()).isPositive();
        }
    }

    @Test
    void aSliceThatThrowsFailsItsWaiterAndThePoolGoesOn() throws Exception {
        try (FairCpuPool pool = new FairCpuPool(1, failingAt13(new IllegalArgumentException("unlucky slice")))) {
            assertThat(spinInVirtualThread(pool, "a", 13)).failsWithin(PATIENCE)
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOf(IllegalStateException.class)
                    .havingCause().isInstanceOf(IllegalArgumentException.class).withMessage("unlucky slice");
            assertThat(spinInVirtualThread(pool, "b", 1_000).get()).isGreaterThanOrEqualTo(Duration.ZERO);
            assertThat(pool.liveThreads()).isEqualTo(1);
        }
    }

    @Test
    void aPoolThreadKilledByAnErrorIsReplaced() throws Exception {
        try (FairCpuPool pool = new FairCpuPool(2, failingAt13(new StackOverflowError("a broken thread")))) {
            assertThat(spinInVirtualThread(pool, "a", 13)).failsWithin(PATIENCE)
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOf(IllegalStateException.class).havingCause().isInstanceOf(StackOverflowError.class);
            // The thread that met the Error has ended; a fresh one took its place, so the pool is two threads again.
            await().atMost(PATIENCE).until(() -> pool.liveThreads() == 2);
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("cpu-3");
            List<CompletableFuture<Duration>> after = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                after.add(spinInVirtualThread(pool, "b" + i, 1_000));
            }
            for (CompletableFuture<Duration> slice : after) {
                assertThat(slice.get()).isGreaterThanOrEqualTo(Duration.ZERO);
            }
        }
    }

    @Test
    void itsThreadsDoNotSeeTheRequestsBinding() throws Exception {
        CompletableFuture<Boolean> boundOnPoolThread = new CompletableFuture<>();
        try (FairCpuPool pool = new FairCpuPool(1, iterations -> {
            boundOnPoolThread.complete(RequestContext.CURRENT.isBound());
            return Duration.ZERO;
        })) {
            RequestContext request = request("bound");
            ScopedValue.where(RequestContext.CURRENT, request).call(() -> pool.spin(request, 1));
            // The pool's threads were started outside every request: that is why spin() takes the request.
            assertThat(boundOnPoolThread.get()).isFalse();
        }
    }

    @Test
    void closingStopsItsThreadsAndCancelsWaiters() {
        FairCpuPool pool = new FairCpuPool(1);
        CompletableFuture<Duration> running = spinInVirtualThread(pool, "a", Long.MAX_VALUE / 4);
        await().atMost(PATIENCE).until(() -> pool.queuedSlices() == 0);
        CompletableFuture<Duration> queued = spinInVirtualThread(pool, "b", SLICE);
        await().atMost(PATIENCE).until(() -> pool.queuedSlices() == 1);
        pool.close();
        assertThat(running).failsWithin(PATIENCE).withThrowableThat().havingCause()
                .isInstanceOf(InterruptedException.class);
        assertThat(queued).failsWithin(PATIENCE).withThrowableThat().havingCause()
                .isInstanceOf(InterruptedException.class);
        assertThat(pool.liveThreads()).isZero();
    }
}
