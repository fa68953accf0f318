package dev.loomcounter.course;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.function.Function;

/**
 * The joiners lesson: one small request, three replicas asked for the same number, run under each of the five
 * joiners JDK 25 ships. Replica A answers 42 after 100 ms, B answers 42 after 300 ms, C fails after 50 ms.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:exec@course -Dexample=BuiltInJoiners}
 */
public final class BuiltInJoiners {

    private BuiltInJoiners() {
    }

    /** One replica: after {@code delay}, an answer, or a failure when {@code answer} is null. */
    public record Replica(String name, Duration delay, Integer answer) {
        Integer ask() throws InterruptedException {
            Thread.sleep(delay);
            if (answer == null) {
                throw new IllegalStateException("replica " + name + " is down");
            }
            return answer;
        }
    }

    static final List<Replica> REPLICAS = List.of(new Replica("A", Duration.ofMillis(100), 42),
            new Replica("B", Duration.ofMillis(300), 42), new Replica("C", Duration.ofMillis(50), null));

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
            System.out.printf("%-27s %-55s after %3d ms; A, B, C: %s%n", outcome.joiner(), outcome.result(),
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
            List<Subtask<Integer>> subtasks = REPLICAS.stream().map(replica -> scope.fork(replica::ask)).toList();
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
