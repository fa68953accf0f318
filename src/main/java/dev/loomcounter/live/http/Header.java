package dev.loomcounter.live.http;

import java.util.Objects;

/** One response header field. */
public record Header(String name, String value) {

    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        // A CR or LF in a value would end the field early and let whoever chose the value write fields of their own
        // (response splitting). The server's values are its own, but the check costs nothing.
        if (name.isEmpty() || (name + value).chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("not a header field: " + name);
        }
    }
}
