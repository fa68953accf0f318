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
}
