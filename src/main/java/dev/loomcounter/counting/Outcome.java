package dev.loomcounter.counting;

import java.time.Duration;

/**
 * How a request ended. Sealed, so that the server maps each case to a reply with an exhaustive {@code switch}: a new
 * way to end cannot be forgotten.
 */
public sealed interface Outcome {

    /**
     * Every increment ran.
     *
     * @param result   the counter after every increment: start + increments
     * @param subtasks how many increments (subtasks) ran
     * @param wall     the time from opening the scope to the end of {@code join()}
     * @param work     the time the subtasks' work itself took, added up (not their waits for a turn on the CPU):
     *                 more than {@code wall} when they ran in parallel
     */
    record Counted(long result, int subtasks, Duration wall, Duration work) implements Outcome {

        /** Work time per wall time: the parallel speed-up, at most the number of cores for CPU-bound work. */
        public double parallelism() {
            long wallNanos = wall.toNanos();
            return wallNanos == 0 ? 0.0 : (double) work.toNanos() / wallNanos;
        }
    }

    /** The request ran longer than the timeout: its scope was cancelled, and every subtask stopped. */
    record TimedOut(Duration timeout) implements Outcome {
    }

    /** The request asked for more subtasks than the global budget had free: refused at once, nothing ran. */
    record Overloaded(int asked, int limit) implements Outcome {
    }

    /** A subtask failed (its work threw, or its slice failed on the fair CPU pool): its siblings were cancelled. */
    record Failed(Throwable cause) implements Outcome {
    }
}
