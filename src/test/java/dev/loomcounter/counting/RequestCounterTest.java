package dev.loomcounter.counting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcounter.log.Log;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.settings.ThreadKind;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.StructuredTaskScope;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.awaitility.Awaitility.await;

class RequestCounterTest {

    private static final Duration NO_TIMEOUT = Duration.ofMinutes(1);
    private final SubtaskGauge gauge = new SubtaskGauge();

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void countsExactlyWithOneSubtaskPerIncrement(ThreadKind threads) throws InterruptedException {
        RequestCounter counter = new RequestCounter(new Work.Spin(100), 3, threads, NO_TIMEOUT, Log.silent(), gauge);
        SplittableRandom draws = new SplittableRandom(1);
        for (int increments : new int[] {0, 1, 2, 10, 200}) {
            Tally tally = counter.count("test", new Request.Count(-7, increments), draws);
            assertThat(tally.result()).isEqualTo(-7 + increments);
            assertThat(tally.subtasks()).isEqualTo(increments);
        }
        assertThat(gauge.completed()).isEqualTo(213);
        assertThat(gauge.running()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void runsEachIncrementOnANewThreadOfTheChosenKind(ThreadKind threads) throws InterruptedException {
        List<String> lines = new CopyOnWriteArrayList<>();
        RequestCounter counter = new RequestCounter(new Work.Spin(0), 1, threads, NO_TIMEOUT,
                Log.to(lines::add, false), gauge);
        counter.count("conn-9/req-4", new Request.Count(0, 3), new SplittableRandom(1));
        String expectedThread = threads == ThreadKind.VIRTUAL ? "VirtualThread[#" : "Thread[#";
        assertThat(lines).filteredOn(line -> line.contains("starts")).hasSize(3)
                .allSatisfy(line -> assertThat(line).contains(expectedThread));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("conn-9/req-4/increment-3"));
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void cancelsEverySubtaskWhenTheTimeoutExpires(ThreadKind threads) {
        Work forever = new Work.Sleep(Duration.ofHours(1));
        RequestCounter counter = new RequestCounter(forever, 1, threads, Duration.ofMillis(200), Log.silent(), gauge);
        assertThatThrownBy(() -> counter.count("slow", new Request.Count(0, 50), new SplittableRandom(1)))
                .isInstanceOf(StructuredTaskScope.TimeoutException.class);
        // count() has returned, so its scope is closed: not one subtask may still be running.
        assertThat(gauge.running()).isZero();
        assertThat(gauge.completed()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void cancelsEverySpinningSubtaskWhenTheOwnerIsInterrupted(ThreadKind threads) throws Exception {
        Work hours = new Work.Spin(Long.MAX_VALUE / 4);
        RequestCounter counter = new RequestCounter(hours, 1, threads, NO_TIMEOUT, Log.silent(), gauge);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread owner = Thread.ofPlatform().start(() -> {
            try {
                counter.count("spinning", new Request.Count(0, 4), new SplittableRandom(1));
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        // Not "until 4 run": spinning virtual threads are never preempted, so with 2 carriers only 2 of them
        // may ever start. The others are cancelled before they run, and never count.
        await().atMost(Duration.ofSeconds(20)).until(() -> gauge.running() > 0);
        owner.interrupt();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(gauge.running()).as("close() waited for every subtask to stop").isZero();
        assertThat(gauge.cancelled()).isPositive();
        assertThat(gauge.completed()).isZero();
    }
}
