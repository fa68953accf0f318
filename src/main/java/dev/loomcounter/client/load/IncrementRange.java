package dev.loomcounter.client.load;

import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** The increments of the load client's requests: drawn evenly from {@code min..max}, both ends included. */
public record IncrementRange(int min, int max) {

    private static final Pattern RANGE = Pattern.compile("([0-9]{1,9})(?:\\.\\.([0-9]{1,9}))?");

    public IncrementRange {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("increments must be MIN..MAX with 0 <= MIN <= MAX, got " + min
                    + ".." + max);
        }
    }

    /** {@code 0..10}, or a single number for a fixed count. */
    public static IncrementRange parse(String text) {
        Matcher matcher = RANGE.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a range: write MIN..MAX, e.g. 0..10, or N");
        }
        int min = Integer.parseInt(matcher.group(1));
        int max = matcher.group(2) == null ? min : Integer.parseInt(matcher.group(2));
        return new IncrementRange(min, max);
    }

    int draw(RandomGenerator random) {
        return random.nextInt(min, max + 1);
    }

    /** As {@link #parse} reads it: {@code 0..10}, or {@code 4} for a fixed count. */
    @Override
    public String toString() {
        return min == max ? Integer.toString(min) : min + ".." + max;
    }

    /** Lets picocli read {@code --increments 0..10}. */
    public static final class Converter implements CommandLine.ITypeConverter<IncrementRange> {
        @Override
        public IncrementRange convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
