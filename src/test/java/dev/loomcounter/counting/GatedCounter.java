package dev.loomcounter.counting;

import static dev.loomcounter.testing.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.log.Log;
import dev.loomcounter.settings.ThreadKind;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A counting core whose work waits at a gate until the test opens it: a request stays in flight, its scope open, for
 * as long as the test looks at it, and no test waits on a clock. For tests outside this package: the work a core
 * runs is this package's own.
 *
 * <p>Each increment is one slice of {@link #UNIT_ITERATIONS} on a fair CPU pool of one thread, and the pool runs each
 * slice only once the gate is open. The unit decides which requests are brief, as for the real work: up to
 * {@link #BRIEF_INCREMENTS} increments a request is answered by the connection's own thread, more by a worker.
 */
public final class GatedCounter {

    /** Too much work to run on the subtask's own thread (it goes to the pool, where the gate is), little enough. */
    private static final long UNIT_ITERATIONS = 2 * Work.FairSpin.NOT_WORTH_A_HAND_OFF;

    /** The most increments of a brief request with this work: a millisecond's iterations over one unit each. */
    public static final int BRIEF_INCREMENTS = (int) (Work.BRIEF_ITERATIONS / UNIT_ITERATIONS);

    private final CountDownLatch open = new CountDownLatch(1);
    private final CountDownLatch reached = new CountDownLatch(1);
    private final RequestCounter counter;

    public GatedCounter(Log log) {
        FairCpuPool pool = new FairCpuPool(1, iterations -> {
            reached.countDown();
            // Interruptible: closing the pool ends a wait at a gate the test left closed.
            open.await();
            return BusyLoop.timed(iterations);
        });
        // One unit per increment, and a request timeout far beyond any test's patience: only the gate holds a request.
        this.counter = new RequestCounter(new Work.FairSpin(UNIT_ITERATIONS, UNIT_ITERATIONS, pool), 1,
                ThreadKind.VIRTUAL, Duration.ofHours(1), 10_000, log);
    }

    /** The core, for the server to count with; made once, since the server closes it. */
    public RequestCounter counter() {
        return counter;
    }

    /** Waits until an increment has reached the gate: its request is in flight, its scope open. */
    public void awaitHeld() throws InterruptedException {
        assertThat(reached.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("an increment reached the gate")
                .isTrue();
    }

    /** Lets every increment through, the one waiting and every one after it. */
    public void open() {
        open.countDown();
    }
}
