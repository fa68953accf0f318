package dev.loomcounter.counting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BusyLoopTest {

    @Test
    void addsOneForEveryIteration() throws InterruptedException {
        assertThat(BusyLoop.spin(0)).isZero();
        assertThat(BusyLoop.spin(1)).isEqualTo(1.0);
        assertThat(BusyLoop.spin(BusyLoop.CHECK_EVERY + 3)).isEqualTo(BusyLoop.CHECK_EVERY + 3.0);
        assertThat(BusyLoop.spin(1_000_000)).isEqualTo(1_000_000.0);
    }

    @Test
    void refusesToStartWhenAlreadyInterrupted() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> BusyLoop.spin(10)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.currentThread().isInterrupted()).as("interrupt status cleared, as by sleep").isFalse();
    }

    @Test
    void stopsSoonAfterAnInterrupt() throws Exception {
        // Long enough to run for hours: only the interrupt can end it within the test's timeout.
        long hours = Long.MAX_VALUE / 2;
        CountDownLatch spinning = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread spinner = Thread.ofVirtual().start(() -> {
            spinning.countDown();
            try {
                BusyLoop.spin(hours);
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        assertThat(spinning.await(10, TimeUnit.SECONDS)).isTrue();
        spinner.interrupt();
        assertThat(spinner.join(Duration.ofSeconds(10))).as("the loop ended").isTrue();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class)
                .hasMessageContaining("iterations left");
    }

    @Test
    void timedChecksTheSumAndSaysHowLongItRan() throws InterruptedException {
        assertThat(BusyLoop.timed(1_000_000)).isPositive();
        assertThat(BusyLoop.timed(0)).isGreaterThanOrEqualTo(Duration.ZERO);
    }

    @Test
    void workKindsSayHowLongTheyWorked() throws InterruptedException {
        RequestContext request = new RequestContext("conn-1", "conn-1/req-1");
        assertThat(new Work.Spin(1_000_000).perform(3, request)).isPositive();
        assertThat(new Work.Sleep(Duration.ofMillis(5)).perform(2, request))
                .isGreaterThanOrEqualTo(Duration.ofMillis(10));
        try (FairCpuPool pool = new FairCpuPool(1)) {
            // Ten slices of a hundred thousand iterations: every slice ran, and only the slices' own time counts.
            assertThat(new Work.FairSpin(500_000, 100_000, pool).perform(2, request)).isPositive();
            assertThat(pool.queuedSlices()).isZero();
        }
    }

    @Test
    void fairSpinKeepsWorkSmallerThanAHandOffOnTheSubtasksOwnThread() throws InterruptedException {
        RequestContext request = new RequestContext("conn-1", "conn-1/req-1");
        // A pool whose every slice fails: only work that never reaches it can succeed.
        try (FairCpuPool pool = new FairCpuPool(1, iterations -> {
            throw new IllegalStateException("this slice was handed off");
        })) {
            long small = Work.FairSpin.NOT_WORTH_A_HAND_OFF;
            assertThat(new Work.FairSpin(small, small, pool).perform(1, request)).isPositive();
            assertThatThrownBy(() -> new Work.FairSpin(small + 1, small, pool).perform(1, request))
                    .hasRootCauseMessage("this slice was handed off");
        }
    }
}
