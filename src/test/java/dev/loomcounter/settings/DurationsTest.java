package dev.loomcounter.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "30s,PT30S", "2m,PT2M", "1h,PT1H", "0ms,PT0S"})
    void parsesWhatPeopleWrite(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
        assertThat(Durations.parse(Durations.format(expected))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "1.5s", "-1s", "10 s", "1d", "PT30S"})
    void rejectsAnythingElseNamingTheValue(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({"PT0.5S,500ms", "PT30S,30s", "PT2M,2m", "PT90S,90s", "PT1H,1h"})
    void formatsWithTheLargestUnitThatFits(Duration duration, String expected) {
        assertThat(Durations.format(duration)).isEqualTo(expected);
    }
}
