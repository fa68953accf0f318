package dev.loomcounter.course;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.function.Function;

/**
 * The joiners lesson: one small request, three replicas asked for the same number, run under each of the five
 * joiners JDK 25 ships. Replica C fails at once; A answers 42 one second after C has failed; B answers 42 one second
 * after A has answered. The order is caused, not timed, so that a slow machine shows the same states as a fast one.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:exec@course -Dexample=BuiltInJoiners}
 */
public final class BuiltInJoiners {

    private BuiltInJoiners() {
    }

    /** How long A waits after C's failure, and B after A's answer. */
    static final Duration GAP = Duration.ofSeconds(1);

    /** The three replicas of one request, A, B and C, each a task for {@code fork}. */
    static List<Callable<Integer>> replicas() {
        CountDownLatch cFailed = new CountDownLatch(1);
        CountDownLatch aAnswered = new CountDownLatch(1);
        Callable<Integer> a = () -> {
            cFailed.await();
            Thread.sleep(GAP);
            aAnswered.countDown();
            return 42;
        };
        Callable<Integer> b = () -> {
            aAnswered.await();
            Thread.sleep(GAP);
            return 42;
        };
        Callable<Integer> c = () -> {
            cFailed.countDown();
            throw new IllegalStateException("replica C is down");
        };
        return List.of(a, b, c);
    }

    /** What {@code join()} returned or threw, how long it took, and the subtasks' states afterwards. */
    public record Outcome(String joiner, String result, Duration took, List<Subtask.State> states) {
    }

    public static void main(String[] args) throws InterruptedException {
        for (Outcome outcome : List.of(
                ask("allSuccessfulOrThrow", Joiner.allSuccessfulOrThrow(),
                        all -> all.map(Subtask::get).toList()),
                ask("anySuccessfulResultOrThrow", Joiner.anySuccessfulResultOrThrow(), Function.identity()),
                ask("awaitAllSuccessfulOrThrow", Joiner.awaitAllSuccessfulOrThrow(), Function.identity()),
                ask("awaitAll", Joiner.awaitAll(), Function.identity()),
                ask("allUntil(first success)", Joiner.allUntil(s -> s.state() == Subtask.State.SUCCESS),
                        all -> all.map(Subtask::state).toList()))) {
            System.out.printf("%-27s %-55s after %,5d ms; A, B, C: %s%n", outcome.joiner(), outcome.result(),
                    outcome.took().toMillis(), outcome.states());
        }
    }

    /**
     * Forks the three replicas under {@code joiner}, joins, and describes the result with {@code describe}; the
     * subtasks' states are read after {@code join()}, when the owner may read them.
     */
    public static <R> Outcome ask(String name, Joiner<Integer, R> joiner, Function<R, ?> describe)
            throws InterruptedException {
        long began = System.nanoTime();
        try (var scope = StructuredTaskScope.open(joiner)) {
            List<Subtask<Integer>> subtasks = replicas().stream().map(scope::fork).toList();
            String result;
            try {
                result = "returned " + describe.apply(scope.join());
            } catch (StructuredTaskScope.FailedException e) {
                result = "threw FailedException(" + e.getCause().getMessage() + ")";
            }
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            return new Outcome(name, result, took, subtasks.stream().map(Subtask::state).toList());
        }
    }
}
