package dev.loomcounter.counting;

import dev.loomcounter.settings.WorkSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * What a subtask does before it increments the counter: burn CPU or wait. The two kinds are the heart of the lesson:
 * a sleeping virtual thread gives its carrier back, a spinning one cannot.
 */
public sealed interface Work {

    /**
     * Does {@code units} units of work for a request.
     *
     * @param requester the request this work is for: CPU turns are shared fairly among requesters
     * @return what the work computed and how long it was busy
     * @throws InterruptedException if cancelled, promptly
     */
    Effort perform(int units, Object requester) throws InterruptedException;

    /** Does {@code units} units of work outside any request (tests, benchmarks). */
    default Effort perform(int units) throws InterruptedException {
        return perform(units, this);
    }

    /**
     * The original's CPU busy loop: {@code unitIterations} additions per unit, run in slices of at most
     * {@code sliceIterations} by the CPU scheduler.
     */
    record Spin(long unitIterations, long sliceIterations, CpuScheduler cpu) implements Work {
        public Spin {
            if (unitIterations < 0) {
                throw new IllegalArgumentException("unit iterations must be 0 or more, got " + unitIterations);
            }
            if (sliceIterations < 1) {
                throw new IllegalArgumentException("slice iterations must be 1 or more, got " + sliceIterations);
            }
            Objects.requireNonNull(cpu, "cpu");
        }

        /** The plain busy loop, in one piece, on the subtask's own thread. */
        public Spin(long unitIterations) {
            this(unitIterations, Long.MAX_VALUE, CpuScheduler.inline());
        }

        @Override
        public Effort perform(int units, Object requester) throws InterruptedException {
            long left = Math.multiplyExact(unitIterations, units);
            Effort effort = Effort.NONE;
            while (left > 0) {
                long slice = Math.min(left, sliceIterations);
                effort = effort.plus(cpu.spin(requester, slice));
                left -= slice;
            }
            return effort;
        }
    }

    /** Blocking work: stands for a call to a database or another service. */
    record Sleep(Duration unit) implements Work {
        public Sleep {
            Objects.requireNonNull(unit, "unit");
        }

        @Override
        public Effort perform(int units, Object requester) throws InterruptedException {
            long began = System.nanoTime();
            // A virtual thread unmounts here: its carrier goes on to run other virtual threads. No CPU pool:
            // waiting uses no CPU, so there is nothing to share.
            Thread.sleep(unit.multipliedBy(units));
            return new Effort(units, Duration.ofNanos(System.nanoTime() - began));
        }
    }

    /** The work the settings describe; CPU-bound slices run where the given scheduler says. */
    static Work of(WorkSettings settings, CpuScheduler cpu) {
        return switch (settings.kind()) {
            case SPIN -> new Spin(settings.unitIterations(), settings.sliceIterations(), cpu);
            case SLEEP -> new Sleep(settings.unitDuration());
        };
    }
}
