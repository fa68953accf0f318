package dev.loomcounter.live.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The head parser on byte arrays: every rule without a socket. */
class HeadParserTest {

    private final HeadParser parser = new HeadParser(WebLimits.DEFAULTS);

    @Test
    void aPlainGetIsARequestWithItsPathAndFields() {
        RequestHead request = (RequestHead) parse("GET /metrics?x=1 HTTP/1.1\r\nHost: 127.0.0.1:7080\r\n"
                + "Accept:  text/plain  \r\n\r\n");
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.target()).isEqualTo("/metrics?x=1");
        assertThat(request.path()).isEqualTo("/metrics");
        assertThat(request.authority()).hasValue("127.0.0.1:7080");
        assertThat(request.field("ACCEPT")).hasValue("text/plain");
        assertThat(request.keepAlive()).isTrue();
    }

    @Test
    void aBareLfEndsALineAsCrLfDoes() {
        String head = "GET / HTTP/1.1\nHost: localhost\n\n";
        assertThat(HeadParser.endOfHead(bytes(head), 0, head.length())).isEqualTo(head.length());
        assertThat(parse(head)).isInstanceOf(RequestHead.class);
        String mixed = "GET / HTTP/1.1\r\nHost: localhost\n\r\n";
        assertThat(HeadParser.endOfHead(bytes(mixed), 0, mixed.length())).isEqualTo(mixed.length());
    }

    @Test
    void theEndOfAHeadIsFoundWhereverTheScanStarts() {
        String head = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next";
        int end = head.indexOf("GET /next");
        for (int from = 0; from <= end - 4; from++) {
            assertThat(HeadParser.endOfHead(bytes(head), from, head.length())).as("from %d", from).isEqualTo(end);
        }
        String unfinished = "GET / HTTP/1.1\r\nHost: a\r\n";
        assertThat(HeadParser.endOfHead(bytes(unfinished), 0, unfinished.length())).isEqualTo(-1);
    }

    @Test
    void http10NeedsNoHostAndClosesHttp11MayAskToClose() {
        RequestHead old = (RequestHead) parse("GET / HTTP/1.0\r\n\r\n");
        assertThat(old.authority()).isEmpty();
        assertThat(old.keepAlive()).isFalse();
        RequestHead closing = (RequestHead) parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n");
        assertThat(closing.keepAlive()).isFalse();
    }

    @Test
    void anAbsoluteTargetNamesTheAuthority() {
        RequestHead request = (RequestHead) parse("GET http://localhost:7080/live.js HTTP/1.1\r\nHost: other\r\n\r\n");
        assertThat(request.authority()).hasValue("localhost:7080");
        assertThat(request.path()).isEqualTo("/live.js");
    }

    @Test
    void eachBrokenRuleHasItsStatus() {
        assertThat(status("GET /" + "a".repeat(2_048) + " HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(414);
        assertThat(status("GET / HTTP/9.9\r\nHost: a\r\n\r\n")).isEqualTo(505);
        assertThat(status("GET / HTTP/2.0\r\nHost: a\r\n\r\n")).isEqualTo(505);
        assertThat(status("GET / HTTP/1.1\r\n\r\n")).isEqualTo(400);
        assertThat(status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")).isEqualTo(400);
        assertThat(status("GET / HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n")).isEqualTo(400);
        assertThat(status("GET / HTTP/1.1\r\nHost : a\r\n\r\n")).isEqualTo(400);
        assertThat(status("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n")).isEqualTo(400);
        assertThat(status("GET  / HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(400);
        assertThat(status("GET / HTTX/1.1\r\nHost: a\r\n\r\n")).isEqualTo(400);
        assertThat(status("GET nowhere HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(400);
        assertThat(status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000000\r\n\r\n")).isEqualTo(413);
        assertThat(status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")).isEqualTo(413);
        assertThat(status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n")).isEqualTo(400);
        assertThat(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")).isInstanceOf(RequestHead.class);
        assertThat(status("GET / HTTP/1.1\r\nHost: a\r\n" + "X-A: 1\r\n".repeat(100) + "\r\n")).isEqualTo(431);
        assertThat(parse("GET / HTTP/1.1\r\n" + "X-A: 1\r\n".repeat(99) + "Host: a\r\n\r\n"))
                .isInstanceOf(RequestHead.class);
    }

    @Test
    void aHeadThatDoesNotEndInTimeIsTooLongInItsTargetOrItsFields() {
        String longLine = "GET /" + "a".repeat(20_000);
        assertThat(parser.tooLarge(bytes(longLine), 16_384).status()).isEqualTo(Status.URI_TOO_LONG);
        String longFields = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(20_000);
        assertThat(parser.tooLarge(bytes(longFields), 16_384).status()).isEqualTo(Status.HEADER_FIELDS_TOO_LARGE);
    }

    @Test
    void aRejectionNeverQuotesTheRequest() {
        Rejection rejection = (Rejection) parse("GET /<script> HTTP/7.0\r\nHost: a\r\n\r\n");
        assertThat(rejection.why()).doesNotContain("<script>");
    }

    private ParsedHead parse(String head) {
        return parser.parse(bytes(head), head.length());
    }

    private int status(String head) {
        ParsedHead parsed = parse(head);
        assertThat(parsed).as(head).isInstanceOf(Rejection.class);
        return ((Rejection) parsed).status().code();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
