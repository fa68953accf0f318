package dev.loomcounter.settings;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Reads an enum flag in any case ({@code --threads PLATFORM} or {@code platform}), and names the values in lower case
 * when one is wrong, as the help and the docs write them; picocli's own message would shout {@code [VIRTUAL,
 * PLATFORM]}. One subclass per enum, because picocli creates a converter from its class.
 */
public abstract class LowerCaseEnumConverter<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {

    private final Class<E> type;

    LowerCaseEnumConverter(Class<E> type) {
        this.type = type;
    }

    @Override
    public E convert(String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        String names = Arrays.stream(type.getEnumConstants()).map(constant -> constant.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        throw new CommandLine.TypeConversionException("expected one of " + names + ", got '" + value + "'");
    }

    /** {@code --threads virtual|platform}. */
    public static final class Threads extends LowerCaseEnumConverter<ThreadKind> {
        public Threads() {
            super(ThreadKind.class);
        }
    }

    /** {@code --work spin|sleep}. */
    public static final class Work extends LowerCaseEnumConverter<WorkKind> {
        public Work() {
            super(WorkKind.class);
        }
    }

    /** {@code --fairness on|off}. */
    public static final class Fair extends LowerCaseEnumConverter<Fairness> {
        public Fair() {
            super(Fairness.class);
        }
    }
}
