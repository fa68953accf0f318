package dev.loomcounter.counting;

import dev.loomcounter.settings.Fairness;
import dev.loomcounter.settings.WorkSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * What a subtask does before it adds its one: burn CPU or wait. The kinds are the heart of the lesson: a sleeping
 * virtual thread gives its carrier back, a spinning one keeps it until it is done.
 */
sealed interface Work {

    /**
     * Does {@code units} units of work for {@code request}.
     *
     * @return how long the work itself took, not counting any wait for a turn on the CPU
     * @throws InterruptedException if the subtask is cancelled: promptly, even in the middle of a busy loop
     */
    Duration perform(int units, RequestContext request) throws InterruptedException;

    /**
     * The most units of this work that end within about a millisecond of CPU, whatever happens: brief enough that
     * nobody needs to watch for the client leaving, or for a timeout, while they run.
     */
    long briefUnits();

    /** Busy-loop iterations that take less than about a millisecond: one floating-point add each. */
    long BRIEF_ITERATIONS = 1_000_000;

    private static long briefSpinUnits(long unitIterations) {
        return unitIterations == 0 ? Long.MAX_VALUE : BRIEF_ITERATIONS / unitIterations;
    }

    /** The original's busy loop, in one piece, on the subtask's own thread: the design card's shape. */
    record Spin(long unitIterations) implements Work {
        @Override
        public Duration perform(int units, RequestContext request) throws InterruptedException {
            // A virtual thread that computes is never preempted: it keeps its carrier until the loop ends (or sees
            // its interrupt). With fairness off, a large request can take every carrier: that is the starvation.
            return BusyLoop.timed(unitIterations * units);
        }

        @Override
        public long briefUnits() {
            return briefSpinUnits(unitIterations);
        }
    }

    /**
     * The same busy loop, cut into slices of at most {@code sliceIterations}, each run on the fair CPU pool while the
     * subtask waits: see {@link FairCpuPool} for why.
     */
    record FairSpin(long unitIterations, long sliceIterations, FairCpuPool pool) implements Work {

        /**
         * Work this small (about ten microseconds) runs on the subtask's own thread: handing it to the pool and
         * waiting for it would cost the carrier more than doing it. It cannot starve anyone, since it ends before a
         * hand-off would have. The original's unit is 8,000,000 iterations: this is for tiny units, as in
         * throughput benchmarks of the serving path.
         */
        static final long NOT_WORTH_A_HAND_OFF = 10_000;

        public FairSpin {
            Objects.requireNonNull(pool, "pool");
        }

        @Override
        public Duration perform(int units, RequestContext request) throws InterruptedException {
            long iterations = unitIterations * units;
            if (iterations <= NOT_WORTH_A_HAND_OFF) {
                return BusyLoop.timed(iterations);
            }
            Duration busy = Duration.ZERO;
            for (long left = iterations; left > 0; left -= sliceIterations) {
                // Waiting for a slice is blocking: this virtual thread unmounts, and its carrier goes back to
                // serving connections while a pool thread spins.
                busy = busy.plus(pool.spin(request, Math.min(left, sliceIterations)));
            }
            return busy;
        }

        @Override
        public long briefUnits() {
            return briefSpinUnits(unitIterations);
        }
    }

    /** Blocking work: stands for a call to a database or another service. */
    record Sleep(Duration unit) implements Work {
        public Sleep {
            Objects.requireNonNull(unit, "unit");
        }

        @Override
        public Duration perform(int units, RequestContext request) throws InterruptedException {
            long began = System.nanoTime();
            // A virtual thread unmounts here: its carrier goes on to run others. No CPU pool: waiting uses no CPU,
            // so there is nothing to share.
            Thread.sleep(unit.multipliedBy(units));
            return Duration.ofNanos(System.nanoTime() - began);
        }

        /** A wait stands for a call to another service: nothing says how long that takes. */
        @Override
        public long briefUnits() {
            return 0;
        }
    }

    /**
     * The work the settings describe. With fairness on, spin work gets a fair CPU pool of one platform thread per
     * core (more would only take turns on the same cores); whoever holds the work closes the pool.
     *
     * @throws IllegalArgumentException if the largest subtask's iterations, unitIterations × maxUnits, overflow a long
     */
    static Work of(WorkSettings settings, Fairness fairness) {
        return switch (settings.kind()) {
            case SLEEP -> new Sleep(settings.unitDuration());
            case SPIN -> {
                // Checked once, here, so that no subtask's loop count can overflow later.
                try {
                    Math.multiplyExact(settings.unitIterations(), settings.maxUnits());
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("unit iterations × max units overflows a long: "
                            + settings.unitIterations() + " × " + settings.maxUnits(), e);
                }
                yield switch (fairness) {
                    case OFF -> new Spin(settings.unitIterations());
                    case ON -> new FairSpin(settings.unitIterations(), settings.sliceIterations(),
                            new FairCpuPool(Runtime.getRuntime().availableProcessors()));
                };
            }
        };
    }
}
