package dev.loomcounter.settings;

/**
 * The largest values the server accepts for its flags. Each one is far above any sensible setting, and below the
 * point where the server would break: an array too large to allocate, a sum that overflows a {@code long}.
 */
final class Limits {

    static final int MAX_CONNECTIONS = 1_000_000;
    /** Each increment is a thread; a million in one request is already a stress test. */
    static final int MAX_INCREMENTS = 1_000_000;
    static final int MAX_SUBTASKS = 10_000_000;
    /** A line buffer grows up to this: one MiB per connection at most. */
    static final int MAX_LINE_BYTES = 1 << 20;
    static final int MAX_UNITS = 1_000_000;
    /** A day. */
    static final long MAX_UNIT_MILLIS = 86_400_000;
    static final int MAX_LOG_LINES_PER_SECOND = 1_000_000;
    /** TCP's port numbers are 16 bits. */
    static final int MAX_PORT = 65_535;

    private Limits() {
    }

    static void check(String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(flag + " must be " + min + " to " + max + ", got " + value);
        }
    }
}
