package dev.loomcounter.course.solutions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcounter.course.Unstructured;
import dev.loomcounter.course.Unstructured.Increments;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The exercises' solutions do what their exercises ask. */
class SolutionsTest {

    @Test
    void theQuorumAnswersOnceKAgreeAndCancelsTheRest() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        try (var scope = StructuredTaskScope.open(new QuorumJoiner<Integer>(2))) {
            scope.fork(() -> 41);
            scope.fork(() -> 42);
            scope.fork(() -> 42);
            Subtask<Integer> slow = scope.fork(() -> {
                never.await(); // only cancellation ends it
                return 42;
            });
            assertThat(scope.join()).isEqualTo(42);
            assertThat(slow.state()).isEqualTo(Subtask.State.UNAVAILABLE);
        }
    }

    @Test
    void withoutAQuorumJoinThrows() throws InterruptedException {
        try (var scope = StructuredTaskScope.open(new QuorumJoiner<Integer>(3))) {
            List.of(1, 2, 2).forEach(value -> scope.fork(() -> value));
            scope.fork(() -> {
                throw new IllegalStateException("down");
            });
            assertThatThrownBy(scope::join).isInstanceOf(StructuredTaskScope.FailedException.class)
                    .hasRootCauseMessage("no value reached a quorum of 3: {1=1, 2=2}");
        }
    }

    @Test
    void theCompletableFutureVersionCountsAndLeavesNothingBehind() throws Exception {
        assertThat(HandMadeStructure.completableFuture(2, 10, Duration.ZERO, new Increments(10))).isEqualTo(12);
        assertThat(Unstructured.leftRunningWhenTheClientGoesAway(HandMadeStructure::completableFuture, 20)).isZero();
    }

    @Test
    void theSemaphoreLimitsTheIncrementsOfAllRequests() throws Exception {
        LimitedIncrements limited = new LimitedIncrements(3);
        AtomicInteger most = new AtomicInteger();
        Increments running = new Increments(0);
        assertThat(limited.count(2, 50, Duration.ofMillis(2), running)).isEqualTo(52);
        // Two requests at once share the three permits.
        try (var scope = StructuredTaskScope.open(StructuredTaskScope.Joiner.<Long>awaitAllSuccessfulOrThrow())) {
            for (int r = 0; r < 2; r++) {
                scope.fork(() -> limited.count(0, 30, Duration.ofMillis(2), running));
            }
            // A platform thread: a spinning virtual thread would take a carrier from the increments.
            Thread watcher = Thread.ofPlatform().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    most.accumulateAndGet(running.running(), Math::max);
                    Thread.onSpinWait();
                }
            });
            scope.join();
            watcher.interrupt();
            watcher.join();
        }
        assertThat(most.get()).isBetween(0, 3);
    }
}
