package dev.loomcounter.counting;

import java.time.Duration;

/**
 * The original's unit of CPU work, {@code x = x + 1.0} in a loop, made cancellable.
 *
 * <p>Why the JIT cannot drop it: the sum is returned (callers keep it), and floating-point addition is not
 * associative, so the compiler may not fold a million {@code + 1.0} into one multiplication.
 *
 * <p>Why it checks for interruption: a virtual thread is not preempted, and cancelling a
 * {@link java.util.concurrent.StructuredTaskScope} only <em>interrupts</em> its subtasks. Code that never looks at
 * its interrupt status would keep its carrier busy until it finished on its own, long after its request was
 * abandoned. One check every {@value #CHECK_EVERY} iterations costs nothing measurable and stops a cancelled loop
 * within well under a millisecond.
 */
public final class BusyLoop {

    /** Iterations between two looks at the interrupt status: about 0.1 ms of work on a current CPU. */
    static final int CHECK_EVERY = 1 << 16;

    private BusyLoop() {
    }

    /**
     * Adds 1.0 to a double {@code iterations} times.
     *
     * @return the sum, which equals {@code iterations} (exactly, below 2^53)
     * @throws InterruptedException if the thread was interrupted before or during the loop; the interrupt
     *                              status is cleared, as by every method that throws it
     */
    public static double spin(long iterations) throws InterruptedException {
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be 0 or more, got " + iterations);
        }
        double x = 0.0;
        long left = iterations;
        while (left > 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException("busy loop cancelled with " + left + " of " + iterations + " iterations left");
            }
            int chunk = (int) Math.min(left, CHECK_EVERY);
            for (int i = 0; i < chunk; i++) {
                x = x + 1.0;
            }
            left -= chunk;
        }
        return x;
    }

    /**
     * Runs the loop and says how long it ran. The sum is compared with what it must be: the program uses it, so the
     * JIT may not drop the loop as dead code.
     */
    static Duration timed(long iterations) throws InterruptedException {
        long began = System.nanoTime();
        double sum = spin(iterations);
        if (sum != iterations) {
            throw new AssertionError("busy loop of " + iterations + " iterations summed to " + sum);
        }
        return Duration.ofNanos(System.nanoTime() - began);
    }
}
