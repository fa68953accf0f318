package dev.loomcounter.counting;

import java.time.Duration;

/**
 * The outcome of one counted request.
 *
 * @param result   the counter after every increment: start + increments
 * @param subtasks how many increments (subtasks) ran
 * @param wall     the time from the first fork to the end of {@code join()}
 * @param work     the subtasks' own times, added up: more than {@code wall} when they ran in parallel
 */
public record Tally(long result, int subtasks, Duration wall, Duration work) {

    /** How many subtasks' worth of time passed per unit of wall time: at most the number of cores for CPU work. */
    public double parallelism() {
        long wallNanos = wall.toNanos();
        return wallNanos == 0 ? 0.0 : (double) work.toNanos() / wallNanos;
    }
}
