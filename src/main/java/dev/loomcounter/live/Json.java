package dev.loomcounter.live;

/**
 * The little JSON the live view writes: arrays of strings and numbers, and objects of them. No parser needed.
 * A value that can exceed 2^53 goes out as a string ({@link #int64}): the page's JavaScript would round it.
 */
final class Json {

    private final StringBuilder out;

    private Json(StringBuilder out) {
        this.out = out;
    }

    /** Starts {@code ["type",micros} on {@code out}; close it with {@link #end()}. */
    static Json array(StringBuilder out, String type, long micros) {
        out.append('[');
        quote(out, type);
        out.append(',').append(micros);
        return new Json(out);
    }

    Json string(String value) {
        out.append(',');
        quote(out, value);
        return this;
    }

    /**
     * A number the page may read as a JavaScript number: times, lengths, indexes, counts. JavaScript reads every JSON
     * number as a double, exact only up to 2^53 (about 9 * 10^15); these stay far below it.
     */
    Json number(long value) {
        out.append(',').append(value);
        return this;
    }

    /**
     * Any 64-bit value, written as a JSON string of its digits: {@code "-9223372036854775800"}. As a JSON number
     * the page's {@code JSON.parse} would round it to a double, to {@code -9223372036854775808}; as a string it
     * arrives whole, and the page reads it with {@code BigInt}.
     */
    Json int64(long value) {
        out.append(",\"").append(value).append('"');
        return this;
    }

    void end() {
        out.append(']');
    }

    /** Appends {@code value} as a JSON string; thread and scope names are plain, but a quote must never break a batch. */
    static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
