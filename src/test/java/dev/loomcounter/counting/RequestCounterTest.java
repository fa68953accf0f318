package dev.loomcounter.counting;

import static dev.loomcounter.testing.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loomcounter.log.Log;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.settings.Fairness;
import dev.loomcounter.settings.ThreadKind;
import dev.loomcounter.settings.WorkKind;
import dev.loomcounter.settings.WorkSettings;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RequestCounterTest {

    private static final Duration NO_TIMEOUT = Duration.ofMinutes(1);
    private static final int BUDGET = 10_000;

    /** As the server calls it: the request's context bound around the call, and only there. */
    private static Outcome count(RequestCounter counter, String name, long start, int increments)
            throws InterruptedException {
        return ScopedValue.where(RequestContext.CURRENT, new RequestContext("test", name))
                .call(() -> counter.count(new Request.Count(start, increments), new SplittableRandom(1)));
    }

    /** Counts in a thread of its own, which the test can interrupt; {@code ended} gets what count() threw, or null. */
    private static Thread countInThread(Thread.Builder builder, RequestCounter counter, String name, int increments,
                                        CompletableFuture<Throwable> ended) {
        return builder.start(() -> {
            try {
                count(counter, name, 0, increments);
                ended.complete(null);
            } catch (Throwable e) {
                ended.complete(e);
            }
        });
    }

    private static WorkSettings spin(long unitIterations, int maxUnits) {
        return new WorkSettings(WorkKind.SPIN, unitIterations, 100_000, Duration.ZERO, maxUnits, OptionalLong.empty());
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void countsExactlyWithOneSubtaskPerIncrement(ThreadKind threads) throws InterruptedException {
        RequestCounter counter = new RequestCounter(new Work.Spin(100), 3, threads, NO_TIMEOUT, BUDGET, Log.silent());
        for (int increments : new int[] {0, 1, 2, 10, 200}) {
            assertThat(count(counter, "test", -7, increments)).isInstanceOfSatisfying(Outcome.Counted.class,
                    counted -> {
                        assertThat(counted.result()).isEqualTo(-7 + increments);
                        assertThat(counted.subtasks()).isEqualTo(increments);
                    });
        }
        assertThat(counter.subtasks().completed()).isEqualTo(213);
        assertThat(counter.subtasks().running()).isZero();
        assertThat(counter.freeBudget()).isEqualTo(BUDGET);
    }

    @ParameterizedTest
    @EnumSource(Fairness.class)
    void countsWithFairnessOnAndOff(Fairness fairness) throws InterruptedException {
        try (RequestCounter counter = new RequestCounter(spin(300_000, 4), fairness, ThreadKind.VIRTUAL, NO_TIMEOUT,
                BUDGET, Log.silent())) {
            assertThat(count(counter, "test", 5, 20)).isInstanceOfSatisfying(Outcome.Counted.class,
                    counted -> assertThat(counted.result()).isEqualTo(25));
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void eachSubtaskNamesItsRequestFromTheInheritedBinding(ThreadKind threads) throws InterruptedException {
        List<String> lines = new CopyOnWriteArrayList<>();
        Log log = Log.to(lines::add, false);
        RequestCounter counter = new RequestCounter(new Work.Spin(0), 1, threads, NO_TIMEOUT, BUDGET, log);
        // The request's name reaches the subtasks only through the binding: count() takes no name.
        count(counter, "conn-9/req-4", 0, 3);
        log.close(); // the log writes on a thread of its own: closing it writes out what is queued
        String expectedThread = threads == ThreadKind.VIRTUAL ? "VirtualThread[#" : "Thread[#";
        assertThat(lines).filteredOn(line -> line.contains("starts")).hasSize(3)
                .allSatisfy(line -> assertThat(line).contains("conn-9/req-4 increment ").contains(expectedThread));
        assertThat(lines).filteredOn(line -> line.contains(" done in ")).hasSize(3);
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("conn-9/req-4/increment-3"));
    }

    @Test
    void theBindingReachesNoThreadStartedOutsideTheScope() throws Exception {
        RequestCounter counter = new RequestCounter(new Work.Spin(0), 1, ThreadKind.VIRTUAL, NO_TIMEOUT, BUDGET,
                Log.silent());
        CompletableFuture<Boolean> seenByPlainThread = new CompletableFuture<>();
        Outcome outcome = ScopedValue.where(RequestContext.CURRENT, new RequestContext("test", "test")).call(() -> {
            // Started by the owner, while bound, but not forked in a scope: a thread inherits no bindings.
            Thread.ofVirtual().start(() -> seenByPlainThread.complete(RequestContext.CURRENT.isBound()));
            return counter.count(new Request.Count(0, 2), new SplittableRandom(1));
        });
        assertThat(outcome).isInstanceOf(Outcome.Counted.class);
        assertThat(seenByPlainThread.get()).isFalse();
        assertThat(RequestContext.CURRENT.isBound()).as("nothing leaks past the call").isFalse();
    }

    @Test
    void countingWithoutABoundRequestFailsClearly() {
        RequestCounter counter = new RequestCounter(new Work.Spin(0), 1, ThreadKind.VIRTUAL, NO_TIMEOUT, BUDGET,
                Log.silent());
        assertThatThrownBy(() -> counter.count(new Request.Count(0, 1), new SplittableRandom(1)))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("RequestContext.CURRENT");
    }

    @Test
    void aRequestIsBriefOnlyIfItsLargestDrawsEndWithinAMillisecondOfWork() {
        // 1,000 iterations a unit, at most 3 units: 333 increments are 999,000 iterations, but a hundred is the cap.
        RequestCounter small = new RequestCounter(new Work.Spin(1_000), 3, ThreadKind.VIRTUAL, NO_TIMEOUT, BUDGET,
                Log.silent());
        assertThat(small.isBrief(new Request.Count(0, 100))).isTrue();
        assertThat(small.isBrief(new Request.Count(0, 101))).isFalse();
        // The original's unit: one increment may take 10 units of 8,000,000 iterations, far from brief.
        RequestCounter original = new RequestCounter(new Work.Spin(8_000_000), 10, ThreadKind.VIRTUAL, NO_TIMEOUT,
                BUDGET, Log.silent());
        assertThat(original.isBrief(new Request.Count(0, 0))).isTrue();
        assertThat(original.isBrief(new Request.Count(0, 1))).isFalse();
        // A wait may take any time: only a request without increments is brief.
        RequestCounter waits = new RequestCounter(new Work.Sleep(Duration.ofMillis(1)), 1, ThreadKind.VIRTUAL,
                NO_TIMEOUT, BUDGET, Log.silent());
        assertThat(waits.isBrief(new Request.Count(0, 0))).isTrue();
        assertThat(waits.isBrief(new Request.Count(0, 1))).isFalse();
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void cancelsEverySubtaskWhenTheTimeoutExpires(ThreadKind threads) throws InterruptedException {
        Work forever = new Work.Sleep(Duration.ofHours(1));
        RequestCounter counter = new RequestCounter(forever, 1, threads, Duration.ofMillis(200), BUDGET, Log.silent());
        assertThat(count(counter, "slow", 0, 50)).isEqualTo(new Outcome.TimedOut(Duration.ofMillis(200)));
        // count() has returned, so its scope is closed: not one subtask may still be running.
        assertThat(counter.subtasks().running()).isZero();
        assertThat(counter.subtasks().completed()).isZero();
        assertThat(counter.freeBudget()).isEqualTo(BUDGET);
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void cancelsEverySpinningSubtaskWhenTheOwnerIsInterrupted(ThreadKind threads) throws Exception {
        Work hours = new Work.Spin(Long.MAX_VALUE / 4);
        RequestCounter counter = new RequestCounter(hours, 1, threads, NO_TIMEOUT, BUDGET, Log.silent());
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread owner = countInThread(Thread.ofPlatform(), counter, "spinning", 4, outcome);
        // Not "until 4 run": spinning virtual threads are never preempted, so with 2 carriers only 2 of them
        // may ever start. The others are cancelled before they run, and never count.
        await().atMost(PATIENCE).until(() -> counter.subtasks().running() > 0);
        owner.interrupt();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(counter.subtasks().running()).as("close() waited for every subtask to stop").isZero();
        assertThat(counter.subtasks().cancelled()).isPositive();
        assertThat(counter.subtasks().completed()).isZero();
        assertThat(counter.freeBudget()).isEqualTo(BUDGET);
    }

    @Test
    void aRequestLargerThanTheBudgetIsRefusedAtOnce() throws InterruptedException {
        RequestCounter counter = new RequestCounter(new Work.Spin(0), 1, ThreadKind.VIRTUAL, NO_TIMEOUT, 5,
                Log.silent());
        assertThat(count(counter, "large", 0, 6)).isEqualTo(new Outcome.Overloaded(6, 5));
        assertThat(counter.subtasks().running() + counter.subtasks().completed()).as("nothing ran").isZero();
        assertThat(count(counter, "fits", 0, 5)).isInstanceOf(Outcome.Counted.class);
    }

    @Test
    void aRequestThatDoesNotFitBesideRunningOnesIsRefusedAndTheBudgetComesBack() throws Exception {
        RequestCounter counter = new RequestCounter(new Work.Sleep(Duration.ofHours(1)), 1, ThreadKind.VIRTUAL,
                NO_TIMEOUT, 10, Log.silent());
        CompletableFuture<Throwable> first = new CompletableFuture<>();
        Thread owner = countInThread(Thread.ofVirtual(), counter, "holds-8", 8, first);
        await().atMost(PATIENCE).until(() -> counter.freeBudget() == 2);
        assertThat(count(counter, "needs-3", 0, 3)).isEqualTo(new Outcome.Overloaded(3, 10));
        owner.interrupt();
        assertThat(first.get()).isInstanceOf(InterruptedException.class);
        assertThat(counter.freeBudget()).as("the cancelled request's permits are back").isEqualTo(10);
        assertThat(counter.subtasks().running()).isZero();
    }

    @Test
    void aFailedSliceFailsItsRequestAtOnceAndSaysWhat() throws InterruptedException {
        List<String> lines = new CopyOnWriteArrayList<>();
        Log log = Log.to(lines::add, false);
        FairCpuPool pool = new FairCpuPool(2, iterations -> {
            throw new OutOfMemoryError("no room for this slice");
        });
        // A timeout of an hour: only the failure itself can end the request within the test's timeout.
        try (RequestCounter counter = new RequestCounter(new Work.FairSpin(100_000, 100_000, pool), 1,
                ThreadKind.VIRTUAL, Duration.ofHours(1), BUDGET, log)) {
            Outcome outcome = count(counter, "conn-2/req-7", 0, 5);
            log.close(); // the log writes on a thread of its own: closing it writes out what is queued
            assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> assertThat(failed.cause())
                    .isInstanceOf(IllegalStateException.class).hasCauseInstanceOf(OutOfMemoryError.class));
            assertThat(lines).anySatisfy(line -> assertThat(line).contains("conn-2/req-7 increment ")
                    .contains(" failed after ").contains("no room for this slice"));
            assertThat(counter.subtasks().running()).isZero();
            assertThat(counter.subtasks().completed()).isZero();
            assertThat(counter.freeBudget()).isEqualTo(BUDGET);
            // The pool replaced the threads the Errors killed: a request after the failure still has two.
            await().atMost(PATIENCE).until(() -> pool.liveThreads() == 2);
        }
    }

    @Test
    void aSubtaskWhoseWorkThrowsFailsItsRequestWithTheCause() throws InterruptedException {
        FairCpuPool pool = new FairCpuPool(1, iterations -> {
            throw new ArithmeticException("work that cannot be done");
        });
        try (RequestCounter counter = new RequestCounter(new Work.FairSpin(100_000, 100_000, pool), 1, ThreadKind.PLATFORM,
                Duration.ofHours(1), BUDGET, Log.silent())) {
            assertThat(count(counter, "broken", 0, 3)).isInstanceOfSatisfying(Outcome.Failed.class,
                    failed -> assertThat(failed.cause()).hasRootCauseInstanceOf(ArithmeticException.class)
                            .hasRootCauseMessage("work that cannot be done"));
            assertThat(pool.liveThreads()).as("a RuntimeException does not cost the pool its thread").isEqualTo(1);
        }
    }

    @Test
    void refusesWorkWhoseLargestSubtaskOverflowsALong() {
        List<Thread> poolThreadsBefore = poolThreads();
        assertThatThrownBy(() -> new RequestCounter(spin(Long.MAX_VALUE / 3, 4), Fairness.ON, ThreadKind.VIRTUAL,
                NO_TIMEOUT, BUDGET, Log.silent()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unit iterations × max units overflows a long");
        assertThat(poolThreads()).as("no fair pool was started for it").isSubsetOf(poolThreadsBefore);
    }

    private static List<Thread> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("cpu-")).toList();
    }

    @Test
    void refusesABudgetOfNothing() {
        assertThatThrownBy(() -> new RequestCounter(spin(1, 1), Fairness.OFF, ThreadKind.VIRTUAL, NO_TIMEOUT, 0,
                Log.silent())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max subtasks");
    }
}
