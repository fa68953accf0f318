package dev.loomcounter.course;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lesson 13: a joiner's {@code onComplete} can be called after the scope was cancelled. JDK 25's subtask checks
 * whether its scope is cancelled and then calls {@code onComplete}, with nothing between the two: a subtask that
 * passed the check a moment before a sibling's outcome cancelled the scope still reaches the joiner. Many subtasks
 * released at once make it likely. So a joiner's decision must be taken once, whatever the number of calls that
 * arrive: a compare-and-set, as the JDK's own joiners and the quorum solution do.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:exec@course -Dexample=LateOutcomes}
 */
public final class LateOutcomes {

    private LateOutcomes() {
    }

    public static void main(String[] args) throws InterruptedException {
        Tally tally = run(50, 200);
        System.out.printf("%d scopes of %d subtasks released at once, each cancelled by its first success:%n",
                tally.scopes(), tally.subtasks());
        System.out.printf("  onComplete calls after the joiner had asked to cancel: %,d%n", tally.afterDecision());
        System.out.printf("  of them, calls that found the scope already cancelled: %,d%n", tally.late());
        System.out.printf("  decisions taken (one compare-and-set per scope): %d%n", tally.decisions());
    }

    /** What the joiners of all scopes saw, summed. */
    public record Tally(int scopes, int subtasks, int afterDecision, int late, int decisions, int wrongResults) {
    }

    /**
     * The first success decides, once. Counts the calls that arrive after it returned {@code true} (asked to
     * cancel), and among them those that find the scope already cancelled: calls a joiner must be ready to get.
     */
    static final class FirstSuccess implements Joiner<Integer, Integer> {

        private final AtomicReference<Integer> first = new AtomicReference<>();
        private final AtomicInteger afterDecision = new AtomicInteger();
        private final AtomicInteger late = new AtomicInteger();
        private final AtomicInteger decisions = new AtomicInteger();
        private volatile StructuredTaskScope<Integer, Integer> scope;

        @Override
        public boolean onComplete(Subtask<? extends Integer> subtask) {
            if (first.get() != null) {
                afterDecision.incrementAndGet();
                StructuredTaskScope<Integer, Integer> own = scope;
                if (own != null && own.isCancelled()) {
                    late.incrementAndGet();
                }
            }
            if (subtask.state() == Subtask.State.SUCCESS && first.compareAndSet(null, subtask.get())) {
                decisions.incrementAndGet();
                return true; // cancel: the others are not needed
            }
            return false;
        }

        @Override
        public Integer result() {
            return first.get();
        }
    }

    public static Tally run(int scopes, int subtasks) throws InterruptedException {
        int afterDecision = 0;
        int late = 0;
        int decisions = 0;
        int wrong = 0;
        for (int s = 0; s < scopes; s++) {
            FirstSuccess joiner = new FirstSuccess();
            CountDownLatch go = new CountDownLatch(1);
            try (var scope = StructuredTaskScope.open(joiner)) {
                joiner.scope = scope;
                for (int i = 0; i < subtasks; i++) {
                    int value = i;
                    scope.fork(() -> {
                        go.await(); // all released at once: many complete while the first cancels
                        return value;
                    });
                }
                go.countDown();
                Integer result = scope.join();
                if (result == null || result < 0 || result >= subtasks) {
                    wrong++;
                }
            }
            afterDecision += joiner.afterDecision.get();
            late += joiner.late.get();
            decisions += joiner.decisions.get();
        }
        return new Tally(scopes, subtasks, afterDecision, late, decisions, wrong);
    }
}
