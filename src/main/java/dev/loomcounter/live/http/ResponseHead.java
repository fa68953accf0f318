package dev.loomcounter.live.http;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The bytes of a response head, and of the short plain-text responses that refuse a request. */
final class ResponseHead {

    /** IMF-fixdate, RFC 9110 section 5.6.7: {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);
    static final Header CLOSE = new Header("Connection", "close");
    static final Header NO_STORE = new Header("Cache-Control", "no-store");

    private ResponseHead() {
    }

    /**
     * The status line, {@code Date}, {@code X-Content-Type-Options: nosniff} (a browser must take the declared type
     * at its word, not guess one from the bytes), then {@code headers}, then the empty line.
     */
    static byte[] of(Status status, List<Header> headers) {
        StringBuilder head = new StringBuilder(256).append(status.statusLine()).append("\r\n");
        head.append("Date: ").append(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        head.append("X-Content-Type-Options: nosniff\r\n");
        for (Header header : headers) {
            head.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A whole response: head and body in one array, so that it leaves in one write (and one TCP segment). */
    static byte[] withBody(Status status, List<Header> headers, byte[] body) {
        byte[] head = of(status, headers);
        byte[] response = new byte[head.length + body.length];
        System.arraycopy(head, 0, response, 0, head.length);
        System.arraycopy(body, 0, response, head.length, body.length);
        return response;
    }

    /** A short text/plain response that closes the connection: how requests are refused. */
    static byte[] refusal(Status status, String text, Header... extra) {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        List<Header> headers = new ArrayList<>(List.of(
                new Header("Content-Type", "text/plain; charset=utf-8"),
                new Header("Content-Length", Integer.toString(body.length)),
                NO_STORE,
                CLOSE));
        headers.addAll(List.of(extra));
        return withBody(status, headers, body);
    }
}
