package dev.loomcounter.client.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.loomcounter.protocol.Request;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The pure parts of the load client: ranges, random requests, the open-loop schedule, the phases, thresholds. */
class LoadParametersTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void incrementRangeReadsMinMaxOrOneNumber() {
        assertThat(IncrementRange.parse("0..10")).isEqualTo(new IncrementRange(0, 10));
        assertThat(IncrementRange.parse("7")).isEqualTo(new IncrementRange(7, 7));
        assertThatThrownBy(() -> IncrementRange.parse("1-10")).hasMessageContaining("not a range");
        assertThatThrownBy(() -> IncrementRange.parse("9..3")).hasMessageContaining("0 <= MIN <= MAX");
    }

    @Test
    void randomRequestsStayInRangeAndRepeatWithASeed() {
        LoadSettings settings = closedLoop(new LoadSettings.Limit.Requests(1), Duration.ZERO, OptionalLong.of(42));
        SplittableRandom first = settings.randomRoot().split();
        SplittableRandom second = settings.randomRoot().split();
        for (int i = 0; i < 1_000; i++) {
            Request.Count request = settings.nextRequest(first);
            assertThat(request.increments()).isBetween(2, 4);
            assertThat(settings.nextRequest(second)).isEqualTo(request);
        }
    }

    /** 100 requests/s over 4 connections: one every 10 ms in all, dealt round-robin, each connection every 40 ms. */
    @Test
    void scheduleSpacesTheRequestsEvenlyAndDealsThemRoundRobin() {
        Schedule schedule = new Schedule(1_000, 4, 100);

        assertThat(LongStream.range(0, 3).map(k -> schedule.dueNanos(0, k)).toArray())
                .containsExactly(1_000L, 40_001_000L, 80_001_000L);
        assertThat(LongStream.range(0, 3).map(k -> schedule.dueNanos(3, k)).toArray())
                .containsExactly(30_001_000L, 70_001_000L, 110_001_000L);
        // All connections together: the run's n-th request is due at n x 10 ms, whichever connection sends it.
        for (int n = 0; n < 400; n++) {
            assertThat(schedule.dueNanos(n % 4, n / 4)).isEqualTo(1_000 + n * 10_000_000L);
        }
        // A rate that does not divide a second: due times are rounded, never drift.
        Schedule third = new Schedule(0, 1, 3);
        assertThat(third.dueNanos(0, 1)).isEqualTo(333_333_333);
        assertThat(third.dueNanos(0, 3_000)).isEqualTo(1_000_000_000_000L);
    }

    @Test
    void phasesMeasureAfterTheWarmupUntilTheLimit() {
        Phases byCount = new Phases(0, 100, Long.MAX_VALUE, 2);
        assertThat(byCount.measured(99)).isFalse();
        assertThat(byCount.measured(100)).isTrue();
        assertThat(byCount.allows(50, 0)).isTrue();
        assertThat(byCount.allows(150, 1)).isTrue();
        assertThat(byCount.allows(150, 2)).isFalse();

        Phases byTime = new Phases(0, 100, 300, Integer.MAX_VALUE);
        assertThat(byTime.allows(299, 1_000_000)).isTrue();
        assertThat(byTime.allows(300, 0)).isFalse();
    }

    @Test
    void badSettingsNameTheirFlag() {
        assertThatThrownBy(() -> closedLoop(new LoadSettings.Limit.Time(Duration.ZERO), Duration.ZERO,
                OptionalLong.empty())).hasMessage("--duration must be longer than 0, got 0ms");
        assertThatThrownBy(() -> new LoadSettings(1, new LoadSettings.Limit.Requests(1),
                new LoadSettings.Pacing.OpenLoop(0), Duration.ZERO, new IncrementRange(0, 1), OptionalLong.empty(),
                MINUTE, List.of())).hasMessageStartingWith("--rate must be more than 0");
        assertThatThrownBy(() -> new LoadSettings(1, new LoadSettings.Limit.Requests(1),
                new LoadSettings.Pacing.OpenLoop(Double.NaN), Duration.ZERO, new IncrementRange(0, 1),
                OptionalLong.empty(), MINUTE, List.of())).hasMessageStartingWith("--rate must be more than 0");
        assertThatThrownBy(() -> new LoadSettings(1, new LoadSettings.Limit.Total(0),
                new LoadSettings.Pacing.ClosedLoop(), Duration.ZERO, new IncrementRange(0, 1), OptionalLong.empty(),
                MINUTE, List.of())).hasMessage("--total must be 1 or more, got 0");
        assertThatThrownBy(() -> new LoadSettings(1, new LoadSettings.Limit.Requests(1),
                new LoadSettings.Pacing.ClosedLoop(), Duration.ZERO, new IncrementRange(0, 1), OptionalLong.empty(),
                Duration.ZERO, List.of())).hasMessage("--timeout must be longer than 0, got 0ms");
    }

    /** 10 in all over 4 connections: 3, 3, 2, 2; never one more or fewer than asked. */
    @Test
    void aTotalIsDealtOutEvenly() {
        LoadSettings settings = new LoadSettings(4, new LoadSettings.Limit.Total(10),
                new LoadSettings.Pacing.ClosedLoop(), Duration.ZERO, new IncrementRange(0, 1), OptionalLong.empty(),
                MINUTE, List.of());

        assertThat(IntStream.range(0, 4).map(settings::quota).toArray()).containsExactly(3, 3, 2, 2);
        assertThat(settings.expectedReplies()).hasValue(10);
        assertThat(closedLoop(new LoadSettings.Limit.Requests(7), Duration.ZERO, OptionalLong.empty()).quota(0))
                .isEqualTo(7);
    }

    @Test
    void thresholdsReadAsK6WritesThem() {
        assertThat(Threshold.parse("p99<50ms")).isEqualTo(new Threshold("p99<50ms",
                new Threshold.Statistic.Percentile(99), Threshold.Comparison.BELOW, 50));
        assertThat(Threshold.parse(" P99.9 <= 1.5s ")).isEqualTo(new Threshold("P99.9 <= 1.5s",
                new Threshold.Statistic.Percentile(99.9), Threshold.Comparison.AT_MOST, 1500));
        assertThat(Threshold.parse("max<250us").limit()).isEqualTo(0.25);
        assertThat(Threshold.parse("errors<1%")).isEqualTo(new Threshold("errors<1%",
                new Threshold.Statistic.ErrorRate(), Threshold.Comparison.BELOW, 1));
        assertThat(Threshold.parse("mean>=2ms").statistic()).isEqualTo(new Threshold.Statistic.Mean());
        assertThat(Threshold.parse("stddev>0ms").comparison()).isEqualTo(Threshold.Comparison.ABOVE);
        assertThatThrownBy(() -> Threshold.parse("p99<50")).hasMessageContaining("is not a threshold");
        assertThatThrownBy(() -> Threshold.parse("p99=50ms")).hasMessageContaining("is not a threshold");
        assertThatThrownBy(() -> Threshold.parse("p0<50ms")).hasMessageContaining("more than 0 and at most 100");
        assertThatThrownBy(() -> Threshold.parse("errors<1ms")).hasMessageContaining("errors is a share, in %");
        assertThatThrownBy(() -> Threshold.parse("p99<1%")).hasMessageContaining("p99 is a latency");
    }

    /** Latencies of 1, 2, ... 100 ms; 3 failed requests of 100. */
    @Test
    void aThresholdJudgesTheRunsFigure() {
        Histogram latencies = new Histogram(3);
        for (long millis = 1; millis <= 100; millis++) {
            latencies.recordValue(millis * 1_000_000);
        }

        assertThat(Threshold.parse("p50<=50.1ms").judge(latencies, OptionalDouble.of(3)).passed()).isTrue();
        assertThat(Threshold.parse("p99<99ms").judge(latencies, OptionalDouble.of(3)).passed()).isFalse();
        assertThat(Threshold.parse("max<101ms").judge(latencies, OptionalDouble.of(3)).value().getAsDouble())
                .isCloseTo(100, within(0.1));
        assertThat(Threshold.parse("errors<5%").judge(latencies, OptionalDouble.of(3)).passed()).isTrue();
        assertThat(Threshold.parse("errors<1%").judge(latencies, OptionalDouble.of(3)).passed()).isFalse();
        // Nothing measured is no limit kept.
        assertThat(Threshold.parse("max<1s").judge(new Histogram(3), OptionalDouble.empty()).passed()).isFalse();
        assertThat(Threshold.parse("errors<1%").judge(latencies, OptionalDouble.empty()).passed()).isFalse();
    }

    private static LoadSettings closedLoop(LoadSettings.Limit limit, Duration warmup, OptionalLong seed) {
        return new LoadSettings(1, limit, new LoadSettings.Pacing.ClosedLoop(), warmup, new IncrementRange(2, 4),
                seed, MINUTE, List.of());
    }
}
