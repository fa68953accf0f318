package dev.loomcounter.live.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed request head: the request line and the header fields, checked against the limits and the grammar.
 *
 * @param method    as sent, case-sensitive as HTTP methods are ({@code GET}, {@code HEAD}, ...)
 * @param target    the request target as sent, e.g. {@code /metrics?x=1}
 * @param path      the target's path, without the query: what the routes are matched against
 * @param version   {@code HTTP/1.0} or {@code HTTP/1.1}
 * @param authority the host (and perhaps port) the client thinks it talks to: the {@code Host} field, or the
 *                  authority of an absolute target ({@code GET http://host/path}), which takes precedence; empty for
 *                  an HTTP/1.0 request without {@code Host}
 * @param fields    every header field by its lower-case name, values in the order sent
 */
public record RequestHead(String method, String target, String path, String version, Optional<String> authority,
        Map<String, List<String>> fields) implements ParsedHead {

    public RequestHead {
        fields = Map.copyOf(fields);
    }

    public boolean isHead() {
        return method.equals("HEAD");
    }

    /** The first value of the field named {@code name} (any case). */
    public Optional<String> field(String name) {
        List<String> values = fields.get(name.toLowerCase(Locale.ROOT));
        return values == null ? Optional.empty() : Optional.of(values.getFirst());
    }

    /**
     * True if the client wants the connection kept open after the response: HTTP/1.1 does unless it says
     * {@code Connection: close}. An HTTP/1.0 client gets its connection closed, the simplest reading of that version.
     */
    public boolean keepAlive() {
        if (!version.equals("HTTP/1.1")) {
            return false;
        }
        for (String value : fields.getOrDefault("connection", List.of())) {
            for (String option : value.split(",")) {
                if (option.strip().equalsIgnoreCase("close")) {
                    return false;
                }
            }
        }
        return true;
    }
}
