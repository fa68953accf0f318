package dev.loomcounter.settings;

import java.time.Duration;
import picocli.CommandLine;

/** Lets picocli read {@code --request-timeout 30s}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /**
     * For {@code --unit-millis}, which took a bare number of milliseconds before it took a duration like every other
     * flag: {@code 10} still means {@code 10ms}, so that the commands already written keep working.
     */
    public static final class MillisByDefault implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return new DurationConverter().convert(value.strip().chars().allMatch(Character::isDigit)
                    && !value.isBlank() ? value.strip() + "ms" : value);
        }
    }
}
