package dev.loomcounter.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcounter.protocol.Request;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pure parts of the load client: ranges, random requests, percentiles. */
class LoadParametersTest {

    @Test
    void incrementRangeReadsMinMaxOrOneNumber() {
        assertThat(IncrementRange.parse("0..10")).isEqualTo(new IncrementRange(0, 10));
        assertThat(IncrementRange.parse("7")).isEqualTo(new IncrementRange(7, 7));
        assertThatThrownBy(() -> IncrementRange.parse("1-10")).hasMessageContaining("not a range");
        assertThatThrownBy(() -> IncrementRange.parse("9..3")).hasMessageContaining("0 <= MIN <= MAX");
    }

    @Test
    void randomRequestsStayInRangeAndRepeatWithASeed() {
        LoadSettings settings = new LoadSettings(1, 1, new IncrementRange(2, 4), OptionalLong.of(42));
        SplittableRandom first = settings.randomRoot().split();
        SplittableRandom second = settings.randomRoot().split();
        for (int i = 0; i < 1_000; i++) {
            Request.Count request = settings.nextRequest(first);
            assertThat(request.increments()).isBetween(2, 4);
            assertThat(settings.nextRequest(second)).isEqualTo(request);
        }
    }

    @Test
    void percentilesAreNearestRank() {
        long[] nanos = {50, 10, 40, 30, 20, 100, 90, 80, 70, 60, -1};
        Latencies latencies = Latencies.of(nanos, 10);

        assertThat(latencies).isEqualTo(new Latencies(10, 50, 90, 100, 100));
        assertThat(Latencies.of(nanos, 0).count()).isZero();
    }
}
