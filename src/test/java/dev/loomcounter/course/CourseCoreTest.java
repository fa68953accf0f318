package dev.loomcounter.course;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.course.BuiltInJoiners.Outcome;
import java.time.Duration;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The claims the course's examples make, checked on their core methods in this JVM. */
class CourseCoreTest {

    @AfterAll
    static void stopTheLeftovers() {
        Unstructured.stopLeftovers();
    }

    @Test
    void aScopeLeavesNothingRunningWhenTheClientGoesAway() throws InterruptedException {
        assertThat(Unstructured.leftRunningWhenTheClientGoesAway(Unstructured::structured, 20)).isZero();
    }

    @Test
    void futuresRunOnForNobodyWhenTheClientGoesAway() throws InterruptedException {
        assertThat(Unstructured.leftRunningWhenTheClientGoesAway(Unstructured::executor, 20)).isEqualTo(20);
        assertThat(Unstructured.leftRunningWhenTheClientGoesAway(Unstructured::completableFuture, 20)).isEqualTo(20);
    }

    @Test
    void theStructuredRequestCountsLikeTheServer() throws Exception {
        assertThat(Unstructured.structured(2, 10, Duration.ZERO, new Unstructured.Increments(10))).isEqualTo(12);
        assertThat(Unstructured.executor(2, 10, Duration.ZERO, new Unstructured.Increments(10))).isEqualTo(12);
        assertThat(Unstructured.completableFuture(2, 10, Duration.ZERO, new Unstructured.Increments(10)))
                .isEqualTo(12);
    }

    @Test
    void aSemaphoreBoundsHowManyUseTheResourceAtOnce() throws InterruptedException {
        assertThat(Unstructured.mostAtOnce(200, 5, Duration.ofMillis(1))).isBetween(1, 5);
    }

    @Test
    void anySuccessfulResultIgnoresTheFailureAndCancelsTheSlowerReplica() throws InterruptedException {
        Outcome outcome = BuiltInJoiners.ask("any", Joiner.anySuccessfulResultOrThrow(), Function.identity());
        assertThat(outcome.result()).isEqualTo("returned 42");
        // B (300 ms) completes after the scope was cancelled: its outcome never reaches the joiner.
        assertThat(outcome.states()).containsExactly(Subtask.State.SUCCESS, Subtask.State.UNAVAILABLE,
                Subtask.State.FAILED);
    }

    @Test
    void sleepersShareAFewCarriers() {
        HelloVirtualThreads.Sleepers sleepers = HelloVirtualThreads.sleepers(10_000, Duration.ofMillis(100));
        assertThat(sleepers.tasks()).isEqualTo(10_000);
        // At most the scheduler's maxPoolSize (256 by default); in practice about one per core.
        assertThat(sleepers.carriers()).isBetween(1, 256);
    }

    @Test
    void aParkedVirtualThreadHoldsFarLessThanAPlatformThreadsStack() throws InterruptedException {
        // A platform thread reserves 1 MB of stack (-Xss) outside the heap; a parked virtual thread keeps its frames
        // in a stack chunk on the heap.
        assertThat(HelloVirtualThreads.heapPerParkedThread(10_000)).isLessThan(64 * 1024);
    }

    @Test
    void aSubtaskSeesTheBindingAndAStrayThreadDoesNot() throws Exception {
        assertThat(ScopedValue.where(ScopedValues.REQUEST, "r").call(ScopedValues::whoSeesTheRequest))
                .extracting(ScopedValues.Seen::request).containsExactly("r", "r", "r", "(unbound)");
        assertThat(ScopedValues.structureViolation()).endsWith("StructureViolationException");
    }
}
