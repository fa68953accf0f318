package dev.loomcounter.counting;

import java.time.Duration;

/**
 * The outcome of one counted request.
 *
 * @param result   the counter after every increment: start + increments
 * @param subtasks how many increments (subtasks) ran
 * @param wall     the time from the first fork to the end of {@code join()}
 * @param work     the time the subtasks' work itself took, added up: more than {@code wall} when they ran in
 *                 parallel
 */
public record Tally(long result, int subtasks, Duration wall, Duration work) {

    /** Work time per wall time: the parallel speed-up, at most the number of cores for CPU-bound work. */
    public double parallelism() {
        long wallNanos = wall.toNanos();
        return wallNanos == 0 ? 0.0 : (double) work.toNanos() / wallNanos;
    }
}
