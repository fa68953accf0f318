package dev.loomcounter.course.solutions;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Solution to the joiners lesson's exercise: the scope is done as soon as {@code quorum} subtasks have returned the
 * same value, and the others are cancelled; {@code join()} returns that value, or throws when no value reached the
 * quorum.
 *
 * <p>Written to JDK 25's contract: {@code onComplete} runs in the completing subtask's own thread, many at once, and
 * only ever sees {@code SUCCESS} or {@code FAILED}. It may still be called after this joiner returned {@code true},
 * even after the scope was cancelled: a subtask checks for cancellation and then calls it, with nothing between the
 * two (the course's {@code LateOutcomes} counts such calls). So the tally is concurrent, and the decision is taken
 * once: the first value to reach the quorum is kept with a compare-and-set, and later calls cannot change it.
 *
 * @param <T> the subtasks' result type; values are compared with {@code equals}
 */
public final class QuorumJoiner<T> implements Joiner<T, T> {

    private final int quorum;
    private final Map<T, Integer> votes = new ConcurrentHashMap<>();
    private final AtomicReference<T> decided = new AtomicReference<>();

    public QuorumJoiner(int quorum) {
        if (quorum < 1) {
            throw new IllegalArgumentException("quorum must be at least 1: " + quorum);
        }
        this.quorum = quorum;
    }

    /** Returns true to cancel the scope: a value has reached the quorum, the slower subtasks are not needed. */
    @Override
    public boolean onComplete(Subtask<? extends T> subtask) {
        if (subtask.state() != Subtask.State.SUCCESS) {
            return false; // a failed subtask is a missing vote, not a reason to give up
        }
        T value = subtask.get();
        if (value == null) {
            return false; // a concurrent map holds no null key: null is no vote
        }
        int count = votes.merge(value, 1, Integer::sum);
        return count >= quorum && decided.compareAndSet(null, value);
    }

    @Override
    public T result() {
        T value = decided.get();
        if (value == null) {
            throw new IllegalStateException("no value reached a quorum of " + quorum + ": " + votes);
        }
        return value;
    }
}
