package dev.loomcounter.live;

/** The little JSON the live view writes: arrays of strings and numbers, and objects of them. No parser needed. */
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

    Json number(long value) {
        out.append(',').append(value);
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
