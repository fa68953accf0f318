package dev.loomcounter.live.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a request head (RFC 9112, section 2 to 5) from bytes already received: no sockets, no threads, no clock, so
 * that every rule can be tested with a byte array. The connection finds where the head ends ({@link #endOfHead}),
 * and hands the bytes here.
 *
 * <p>It is strict where leniency has caused real attacks (request smuggling through folded lines, bare carriage
 * returns or conflicting lengths) and lenient where the RFC allows it at no risk: a bare LF ends a line as CRLF does.
 */
public final class HeadParser {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    /** {@code token}, RFC 9110 section 5.6.2: what a method and a field name are made of. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    private static final Pattern VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("[0-9]+");

    private final WebLimits limits;

    public HeadParser(WebLimits limits) {
        this.limits = limits;
    }

    /**
     * Where the head in {@code bytes[0..length)} ends: the index just after the empty line that closes it, or -1 if
     * it has not come yet. A line ends at LF, with or without a CR before it. Scanning starts at {@code from}, so
     * that a connection reading a head in many small pieces does not scan its first bytes again each time; a
     * caller passes the previous length less three, the longest end of head ({@code \r\n\r\n}) less one byte.
     */
    public static int endOfHead(byte[] bytes, int from, int length) {
        for (int i = Math.max(from, 0); i < length; i++) {
            if (bytes[i] != LF) {
                continue;
            }
            // This LF ends a line; the head ends if that line was empty: LF LF, or LF CR LF.
            if (i >= 1 && bytes[i - 1] == LF) {
                return i + 1;
            }
            if (i >= 2 && bytes[i - 1] == CR && bytes[i - 2] == LF) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Parses a complete head, {@code bytes[0..length)} ending with its empty line, into a request or a rejection.
     */
    public ParsedHead parse(byte[] bytes, int length) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == LF) {
                int end = i > start && bytes[i - 1] == CR ? i - 1 : i;
                // ISO-8859-1 maps each byte to one char, so nothing is lost and lengths stay byte counts.
                lines.add(new String(bytes, start, end - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        if (lines.isEmpty() || !lines.getLast().isEmpty()) {
            return new Rejection(Status.BAD_REQUEST, "the request head does not end with an empty line");
        }
        lines.removeLast();
        if (lines.isEmpty()) {
            return new Rejection(Status.BAD_REQUEST, "no request line");
        }
        if (lines.size() - 1 > limits.maxFields()) {
            return new Rejection(Status.HEADER_FIELDS_TOO_LARGE, "more than " + limits.maxFields() + " header fields");
        }
        return parse(lines.getFirst(), lines.subList(1, lines.size()));
    }

    /**
     * The rejection for a head that did not end within {@link WebLimits#maxHeadBytes()}: {@code 414} if the request
     * line alone is too long (its target is, then), {@code 431} if the fields are.
     */
    public Rejection tooLarge(byte[] bytes, int length) {
        int firstLineEnd = -1;
        for (int i = 0; i < length && firstLineEnd < 0; i++) {
            if (bytes[i] == LF) {
                firstLineEnd = i;
            }
        }
        if (firstLineEnd < 0 || firstLineEnd > limits.maxTargetBytes()) {
            return uriTooLong();
        }
        return new Rejection(Status.HEADER_FIELDS_TOO_LARGE,
                "the request head is longer than " + limits.maxHeadBytes() + " bytes");
    }

    private ParsedHead parse(String requestLine, List<String> fieldLines) {
        // request-line = method SP request-target SP HTTP-version, single spaces: anything else is a bad request.
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !TOKEN.matcher(parts[0]).matches() || parts[1].isEmpty()) {
            // A target longer than the limit is the likelier story for a long, broken line; say that.
            return requestLine.length() > limits.maxTargetBytes() ? uriTooLong()
                    : new Rejection(Status.BAD_REQUEST, "the request line is not: method, target, version");
        }
        String method = parts[0];
        String target = parts[1];
        String version = parts[2];
        if (target.length() > limits.maxTargetBytes()) {
            return uriTooLong();
        }
        if (!isVisible(target)) {
            return new Rejection(Status.BAD_REQUEST, "the request target holds a character it must not");
        }
        if (!VERSION.matcher(version).matches()) {
            return new Rejection(Status.BAD_REQUEST, "the request line does not end with an HTTP version");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            return new Rejection(Status.VERSION_NOT_SUPPORTED, "this server speaks HTTP/1.1 and HTTP/1.0");
        }

        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String line : fieldLines) {
            if (line.startsWith(" ") || line.startsWith("\t")) {
                // obs-fold, a field continued on the next line: RFC 9112 section 5.2 lets a server reject it.
                return new Rejection(Status.BAD_REQUEST, "a header field is folded over two lines");
            }
            int colon = line.indexOf(':');
            // No space is allowed between the name and the colon: a proxy and a server that disagree about
            // "Content-Length :" are how requests get smuggled.
            if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
                return new Rejection(Status.BAD_REQUEST, "a header field has no valid name");
            }
            String value = line.substring(colon + 1).strip();
            if (!isFieldValue(value)) {
                return new Rejection(Status.BAD_REQUEST, "a header field's value holds a control character");
            }
            fields.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(value);
        }
        return request(method, target, version, fields);
    }

    private ParsedHead request(String method, String target, String version, Map<String, List<String>> fields) {
        List<String> hosts = fields.getOrDefault("host", List.of());
        if (hosts.size() > 1 || (version.equals("HTTP/1.1") && hosts.isEmpty())) {
            return new Rejection(Status.BAD_REQUEST, "an HTTP/1.1 request needs exactly one Host field");
        }
        // This server reads no request bodies; the live view is read-only. Refusing any request that announces one,
        // without reading it, keeps a client from making the server wait for (or read) gigabytes.
        if (fields.containsKey("transfer-encoding")) {
            return new Rejection(Status.CONTENT_TOO_LARGE, "this server takes no request content");
        }
        List<String> lengths = fields.getOrDefault("content-length", List.of());
        for (String length : lengths) {
            if (!CONTENT_LENGTH.matcher(length).matches()) {
                return new Rejection(Status.BAD_REQUEST, "Content-Length is not a number");
            }
            if (!length.chars().allMatch(digit -> digit == '0')) {
                return new Rejection(Status.CONTENT_TOO_LARGE, "this server takes no request content");
            }
        }

        Optional<String> authority = hosts.stream().findFirst();
        String pathAndQuery = target;
        if (!target.startsWith("/")) {
            // absolute-form, "GET http://host:port/path HTTP/1.1", which RFC 9112 section 3.2.2 says a server must
            // accept; its authority wins over the Host field. "*" (asterisk-form) is only for OPTIONS, which this
            // server refuses anyway: the router sees a path that matches nothing.
            int scheme = target.indexOf("://");
            if (target.equals("*")) {
                pathAndQuery = "*";
            } else if (scheme > 0 && target.substring(0, scheme).equalsIgnoreCase("http")) {
                int pathStart = target.indexOf('/', scheme + 3);
                authority = Optional.of(pathStart < 0 ? target.substring(scheme + 3)
                        : target.substring(scheme + 3, pathStart));
                pathAndQuery = pathStart < 0 ? "/" : target.substring(pathStart);
            } else {
                return new Rejection(Status.BAD_REQUEST, "the request target is not a path");
            }
        }
        int query = pathAndQuery.indexOf('?');
        String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
        return new RequestHead(method, target, path, version, authority, fields);
    }

    private Rejection uriTooLong() {
        return new Rejection(Status.URI_TOO_LONG, "the request target is longer than " + limits.maxTargetBytes()
                + " bytes");
    }

    /** Visible ASCII, no spaces or controls: what a request target may hold before any decoding. */
    private static boolean isVisible(String text) {
        return text.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    /** field-value: visible characters, spaces, tabs, and bytes above 0x7f (obs-text); no CR, LF or NUL. */
    private static boolean isFieldValue(String text) {
        return text.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7f));
    }
}
