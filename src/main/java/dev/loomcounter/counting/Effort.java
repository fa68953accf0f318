package dev.loomcounter.counting;

import java.time.Duration;

/**
 * What a piece of work did.
 *
 * @param value a value computed by the work, for the caller to keep, so that the JIT cannot drop the work
 * @param busy  the time the work itself took: for spin work the time the busy loop ran, not counting any wait for
 *              a turn on the CPU; for sleep work the time asleep
 */
public record Effort(double value, Duration busy) {

    public static final Effort NONE = new Effort(0.0, Duration.ZERO);

    public Effort plus(Effort other) {
        return new Effort(value + other.value, busy.plus(other.busy));
    }

    /** Runs the busy loop on the calling thread, timed. */
    static Effort spin(long iterations) throws InterruptedException {
        long began = System.nanoTime();
        double sum = BusyLoop.spin(iterations);
        return new Effort(sum, Duration.ofNanos(System.nanoTime() - began));
    }
}
