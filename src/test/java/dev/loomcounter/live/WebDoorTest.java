package dev.loomcounter.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loomcounter.live.LiveEndpointsTest.Prometheus;
import dev.loomcounter.live.http.WebLimits;
import dev.loomcounter.testing.RawHttp;
import dev.loomcounter.testing.TestClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The live view's web port as an attacker would try it: more connections than allowed, heads that never end, pages
 * that never read, bodies, broken heads and foreign host names. Real sockets against a real server, small limits.
 */
@Timeout(120)
class WebDoorTest {

    /** Generous on a loaded two-core machine: what is asserted is that a bound exists, not how tight it is. */
    private static final Duration SLACK = Duration.ofSeconds(15);

    @Test
    void beyondTheConnectionCapTheNextGets503AtOnceAndTheCountingPortStillAnswers() throws Exception {
        // A head deadline far beyond the test's length: the idle connections stay for as long as the test holds them.
        WebLimits limits = WebLimits.DEFAULTS.withMaxConnections(4).withHeadDeadline(Duration.ofMinutes(5));
        try (LiveTestServer server = LiveTestServer.start(limits, "--fairness", "off")) {
            List<Socket> idle = new ArrayList<>();
            try {
                // Accepts come in the order of the connects: these four take the four permits.
                for (int i = 0; i < 4; i++) {
                    idle.add(new Socket("127.0.0.1", server.webPort()));
                }
                for (int i = 0; i < 20; i++) {
                    try (RawHttp refused = RawHttp.connect(server.webPort())) {
                        // Nothing sent: the refusal comes as soon as the connection is accepted.
                        RawHttp.Response response = refused.read(false);
                        assertThat(response.status()).isEqualTo(503);
                        assertThat(response.header("Retry-After")).hasValue("1");
                        assertThat(response.header("Connection")).hasValue("close");
                        assertThat(refused.closedByServer()).isTrue();
                    }
                }
                try (TestClient client = server.connect()) {
                    assertThat(client.ask("2 10")).isEqualTo("12");
                }
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
            // The idle connections' permits come back once their threads see the end of their streams.
            await().atMost(SLACK).until(() -> server.get("/metrics").statusCode() == 200);
        }
    }

    @Test
    void aSlowlorisIsCutOffAtTheHeadDeadline() throws Exception {
        Duration deadline = Duration.ofSeconds(1);
        try (LiveTestServer server = LiveTestServer.start(WebLimits.DEFAULTS.withHeadDeadline(deadline))) {
            long start = System.nanoTime();
            try (RawHttp slow = RawHttp.connect(server.webPort())) {
                slow.socket().setSoTimeout((int) deadline.plus(SLACK).toMillis());
                slow.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Never-Ending: ");
                // A byte every 200 ms, never the end of the head: each read returns something, so only a deadline
                // on the whole head ends it. The pauses pace the attack; nothing waits on them.
                Thread trickle = Thread.ofVirtual().start(() -> {
                    try {
                        while (true) {
                            Thread.sleep(200);
                            slow.send("a");
                        }
                    } catch (IOException | InterruptedException e) {
                        // closed by the server, or by the test
                    }
                });
                try {
                    RawHttp.Response response = slow.read(false);
                    assertThat(response.status()).isEqualTo(408);
                    assertThat(response.header("Connection")).hasValue("close");
                } finally {
                    trickle.interrupt();
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(deadline.minusMillis(50))
                    .isLessThan(deadline.plus(SLACK));
        }
    }

    @Test
    void anIdleConnectionIsClosedWithoutAWordAtTheDeadline() throws Exception {
        Duration deadline = Duration.ofSeconds(1);
        try (LiveTestServer server = LiveTestServer.start(WebLimits.DEFAULTS.withHeadDeadline(deadline));
             RawHttp idle = RawHttp.connect(server.webPort())) {
            idle.socket().setSoTimeout((int) deadline.plus(SLACK).toMillis());
            // A kept-alive connection, then silence: the same deadline closes it, with nothing to answer.
            RawHttp.Response first = idle.send(get("/live.css", server)).read(false);
            assertThat(first.status()).isEqualTo(200);
            assertThat(idle.closedByServer()).isTrue();
        }
    }

    @Test
    void theEventStreamHasACapOnPages() throws Exception {
        try (LiveTestServer server = LiveTestServer.start(WebLimits.DEFAULTS.withMaxSubscribers(2))) {
            RawHttp first = RawHttp.connect(server.webPort());
            try (RawHttp second = RawHttp.connect(server.webPort())) {
                assertThat(statusLine(first.send(get("/events", server)))).isEqualTo("HTTP/1.1 200 OK");
                assertThat(statusLine(second.send(get("/events", server)))).isEqualTo("HTTP/1.1 200 OK");

                RawHttp.Response third = RawHttp.exchange(server.webPort(), get("/events", server));
                assertThat(third.status()).isEqualTo(503);
                assertThat(third.header("Retry-After")).hasValue("1");

                // A page that goes away frees its place, once the next batch's write fails.
                first.close();
                await().atMost(SLACK).until(() -> metric(server, "loomcounter_live_streams_open") == 1);
                try (RawHttp again = RawHttp.connect(server.webPort())) {
                    assertThat(statusLine(again.send(get("/events", server)))).isEqualTo("HTTP/1.1 200 OK");
                }
            } finally {
                first.close();
            }
        }
    }

    @Test
    void aPageThatNeverReadsIsDroppedAfterTheWriteTimeout() throws Exception {
        try (LiveTestServer server = LiveTestServer.start(WebLimits.DEFAULTS.withWriteTimeout(Duration.ofSeconds(1)), "--max-units", "1", "--fairness", "off");
             Socket stalled = new Socket()) {
            // A browser that asks for the stream and then never reads a byte of it; a small window fills soon.
            stalled.setReceiveBufferSize(1_024);
            stalled.connect(new InetSocketAddress("127.0.0.1", server.webPort()));
            stalled.getOutputStream().write(get("/events", server).getBytes(StandardCharsets.US_ASCII));
            await().atMost(SLACK).until(server.recorder()::isWatched);

            try (TestClient client = server.connect()) {
                // Requests make events, events make large batches: the page's window fills, the server's write
                // blocks, and after the write timeout the server closes the page's socket.
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    assertThat(client.ask("0 2000")).isEqualTo("2000");
                    return !server.recorder().isWatched();
                });
            }
            assertThat(metric(server, "loomcounter_live_streams_open")).isZero();
            assertThat(metric(server, "loomcounter_live_writes_timed_out_total")).isGreaterThanOrEqualTo(1);
            // What was sent before the close is still in flight; after it, the end of the stream (or a reset).
            stalled.setSoTimeout((int) SLACK.toMillis());
            assertThat(drainsToTheEnd(stalled.getInputStream())).isTrue();
        }
    }

    @Test
    void aRequestWithContentIsRefusedAtOnceWithoutReadingIt() throws Exception {
        try (LiveTestServer server = LiveTestServer.start()) {
            for (String method : List.of("GET", "POST")) {
                try (RawHttp client = RawHttp.connect(server.webPort())) {
                    // Ten gigabytes announced, none sent: the answer must not wait for them.
                    client.send(method + " /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000000000\r\n\r\n");
                    RawHttp.Response response = client.read(false);
                    assertThat(response.status()).as(method).isEqualTo(413);
                    assertThat(response.header("Connection")).hasValue("close");
                    assertThat(client.closedByServer()).isTrue();
                }
            }
            RawHttp.Response chunked = RawHttp.exchange(server.webPort(),
                    "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
            assertThat(chunked.status()).isEqualTo(413);
        }
    }

    @Test
    void eachBrokenHeadGetsItsStatus() throws Exception {
        try (LiveTestServer server = LiveTestServer.start()) {
            int port = server.webPort();
            assertThat(status(port, "GET /" + "a".repeat(3_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                    .isEqualTo(414);
            assertThat(status(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "X-Field: 1\r\n".repeat(150) + "\r\n"))
                    .isEqualTo(431);
            assertThat(status(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"))
                    .isEqualTo(431);
            assertThat(status(port, "GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n")).isEqualTo(505);
            assertThat(status(port, "GET / HTTP/1.1\r\n\r\n")).isEqualTo(400);
            assertThat(status(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Folded: a\r\n b\r\n\r\n")).isEqualTo(400);
            for (String request : List.of("OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                    "POST /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")) {
                RawHttp.Response refused = RawHttp.exchange(port, request);
                assertThat(refused.status()).as(request).isEqualTo(405);
                assertThat(refused.header("Allow")).hasValue("GET, HEAD");
            }
            assertThat(status(port, "GET / HTTP/1.1\r\nHost: attacker.example\r\n\r\n")).isEqualTo(421);
            assertThat(status(port, "GET / HTTP/1.1\r\nHost: attacker.example:" + port + "\r\n\r\n")).isEqualTo(421);
            assertThat(status(port, "GET / HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n")).isEqualTo(200);
            assertThat(status(port, "GET / HTTP/1.1\r\nHost: [::1]:" + port + "\r\n\r\n")).isEqualTo(200);
            // Bare LFs end lines too (RFC 9112 section 2.2), and an HTTP/1.0 request needs no Host.
            assertThat(status(port, "GET /metrics HTTP/1.1\nHost: 127.0.0.1\n\n")).isEqualTo(200);
            assertThat(status(port, "GET /live.js HTTP/1.0\r\n\r\n")).isEqualTo(200);

            String longPath = "/" + "<script>".repeat(1_000);
            RawHttp.Response missing = RawHttp.exchange(port, "GET " + longPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(missing.status()).isEqualTo(414);
            RawHttp.Response notFound = RawHttp.exchange(port,
                    "GET /no-such-page-<script> HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.text()).doesNotContain("<script>").doesNotContain("no-such-page").hasSizeLessThan(100);
        }
    }

    @Test
    void headHasTheLengthOfTheGetBodyAndNoBodyOnAKeptAliveConnection() throws Exception {
        try (LiveTestServer server = LiveTestServer.start();
             RawHttp client = RawHttp.connect(server.webPort())) {
            for (String path : List.of("/", "/live.js", "/live.css", "/favicon.svg", "/favicon.ico")) {
                RawHttp.Response head = client.send("HEAD " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read(true);
                // Had the HEAD sent a body, this GET's response would be read from the middle of it.
                RawHttp.Response get = client.send(get(path, server)).read(false);
                assertThat(head.status()).as(path).isEqualTo(200);
                assertThat(get.status()).as(path).isEqualTo(200);
                assertThat(head.header("Content-Length")).as(path).hasValue(Integer.toString(get.body().length));
                assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
            }
            assertThat(client.send(get("/favicon.ico", server)).read(false).header("Content-Type"))
                    .hasValue("image/svg+xml");
        }
    }

    @Test
    void headOfThreadsTakesNoDump() throws Exception {
        try (LiveTestServer server = LiveTestServer.start()) {
            RawHttp.Response head = RawHttp.exchange(server.webPort(),
                    "HEAD /threads HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEmpty();
            assertThat(server.dumpsTaken()).isZero();
            assertThat(server.get("/threads").body()).contains("\"threadDump\"");
            assertThat(server.dumpsTaken()).isEqualTo(1);
        }
    }

    @Test
    void everyResponseSaysNosniffDataIsNotStoredAndThePageForbidsForeignScripts() throws Exception {
        try (LiveTestServer server = LiveTestServer.start()) {
            for (String path : List.of("/", "/metrics", "/threads", "/live.js", "/nothing")) {
                RawHttp.Response response = RawHttp.exchange(server.webPort(), get(path, server));
                assertThat(response.header("X-Content-Type-Options")).as(path).hasValue("nosniff");
                assertThat(response.header("Cache-Control")).as(path).hasValue("no-store");
                assertThat(response.header("Content-Length")).as(path).isPresent();
            }
            RawHttp.Response page = RawHttp.exchange(server.webPort(), get("/", server));
            assertThat(page.header("Content-Security-Policy")).hasValue("default-src 'self'");
            assertThat(page.header("Referrer-Policy")).hasValue("no-referrer");
            // The policy forbids inline script and style: the page must have none.
            assertThat(page.text()).doesNotContain("<script>").doesNotContain("<style").doesNotContain("style=")
                    .doesNotContainPattern(" on[a-z]+=");
        }
    }

    @Test
    void aKeptAliveConnectionServesRequestsInTurnAndHttp10Closes() throws Exception {
        try (LiveTestServer server = LiveTestServer.start();
             RawHttp client = RawHttp.connect(server.webPort())) {
            // Two requests sent at once (pipelined), answered in order.
            client.send(get("/live.css", server) + get("/metrics", server));
            assertThat(client.read(false).header("Content-Type")).hasValue("text/css; charset=utf-8");
            assertThat(client.read(false).header("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            RawHttp.Response closing = client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .read(false);
            assertThat(closing.header("Connection")).hasValue("close");
            assertThat(client.closedByServer()).isTrue();
        }
        try (LiveTestServer server = LiveTestServer.start();
             RawHttp old = RawHttp.connect(server.webPort())) {
            assertThat(old.send("GET / HTTP/1.0\r\n\r\n").read(false).status()).isEqualTo(200);
            assertThat(old.closedByServer()).isTrue();
        }
    }

    private static String get(String path, LiveTestServer server) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.webPort() + "\r\n\r\n";
    }

    private static int status(int port, String request) throws IOException {
        return RawHttp.exchange(port, request).status();
    }

    private static String statusLine(RawHttp http) throws IOException {
        return http.line();
    }

    private static double metric(LiveTestServer server, String name) throws Exception {
        return Prometheus.parse(server.get("/metrics").body()).get(name);
    }

    /** Reads until the end of the stream; true if it came, false if the read timed out first. */
    private static boolean drainsToTheEnd(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1_024];
        try {
            while (in.read(buffer) >= 0) {
                // what the server wrote before it closed
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }
}
