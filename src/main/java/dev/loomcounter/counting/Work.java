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
     * Does {@code units} units of work.
     *
     * @return a value derived from the work, to be kept by the caller so that the JIT cannot drop the work
     * @throws InterruptedException if cancelled, promptly
     */
    double perform(int units) throws InterruptedException;

    /** The original's CPU busy loop: {@code unitIterations} additions per unit. */
    record Spin(long unitIterations) implements Work {
        public Spin {
            if (unitIterations < 0) {
                throw new IllegalArgumentException("unit iterations must be 0 or more, got " + unitIterations);
            }
        }

        @Override
        public double perform(int units) throws InterruptedException {
            return BusyLoop.spin(Math.multiplyExact(unitIterations, units));
        }
    }

    /** Blocking work: stands for a call to a database or another service. */
    record Sleep(Duration unit) implements Work {
        public Sleep {
            Objects.requireNonNull(unit, "unit");
        }

        @Override
        public double perform(int units) throws InterruptedException {
            // A virtual thread unmounts here: its carrier goes on to run other virtual threads.
            Thread.sleep(unit.multipliedBy(units));
            return units;
        }
    }

    static Work of(WorkSettings settings) {
        return switch (settings.kind()) {
            case SPIN -> new Spin(settings.unitIterations());
            case SLEEP -> new Sleep(settings.unitDuration());
        };
    }
}
