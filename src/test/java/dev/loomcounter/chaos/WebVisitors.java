package dev.loomcounter.chaos;

import dev.loomcounter.live.http.WebLimits;
import dev.loomcounter.testing.RawHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chaos run's visitors of the live view's web port, beside the counting clients: a student pressing the thread
 * dump button, pages that come and go, a page that stops reading, a slowloris, and a flood of idle connections past
 * the web port's cap. None of them may cost a counting client an answer.
 */
final class WebVisitors {

    private static final WebLimits LIMITS = WebLimits.DEFAULTS;
    /** How long past a limit the server may take to act on it, on a loaded machine. */
    private static final Duration SLACK = Duration.ofSeconds(30);

    private final int port;
    private final Tally tally;
    /** Odd while a flood holds the web port full: a visitor's connection reset then is the cap at work. */
    private final AtomicInteger floodEvents;

    WebVisitors(int port, Tally tally, AtomicInteger floodEvents) {
        this.port = port;
        this.tally = tally;
        this.floodEvents = floodEvents;
    }

    /** The page's "Thread dump" button: the server's own dump, taken while everything else goes on. */
    void pressDumpButton() throws IOException {
        RawHttp.Response response = RawHttp.exchange(port, get("/threads"));
        if (refusedAtTheCap(response, "dump")) {
            return;
        }
        if (response.status() == 200 && response.text().contains("\"threadDump\": {")) {
            tally.count("web: thread dumps served");
        } else {
            tally.fail("web: /threads answered " + response.status());
        }
    }

    /** A page that opens its event stream, reads it for a moment, and goes away, as a tab that is closed. */
    void openAndClosePage() throws IOException {
        try (RawHttp page = RawHttp.connect(port)) {
            page.send(get("/events"));
            String status = page.line();
            if (status != null && status.contains(" 503 ")) {
                tally.count("web: page refused (cap)");
                return;
            }
            if (status == null || !status.contains(" 200 ")) {
                tally.fail("web: /events answered " + status);
                return;
            }
            int batches = 1 + new SplittableRandom().nextInt(10);
            for (String line = page.line(); line != null && batches > 0; line = page.line()) {
                if (line.startsWith("data: ")) {
                    batches--;
                }
            }
            tally.count("web: pages that read their stream");
        }
    }

    /** A page that asks for the stream and never reads it: the write timeout must drop it. */
    void stallPage() throws IOException {
        long began = System.nanoTime();
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(1_024);
            stalled.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            stalled.getOutputStream().write(get("/events").getBytes(StandardCharsets.US_ASCII));
            // Not reading is the point; the only way to see that the server let go without reading first is to try
            // writing: once the server has closed, a write fails (after a reset).
            Duration patience = LIMITS.writeTimeout().plus(SLACK);
            while (System.nanoTime() - began < patience.toNanos()) {
                try {
                    stalled.getOutputStream().write('\n');
                } catch (SocketException e) {
                    tally.count("web: stalled page dropped");
                    tally.max("web: stalled page held ms", Duration.ofNanos(System.nanoTime() - began).toMillis());
                    return;
                }
                pause(Duration.ofMillis(500));
            }
            tally.fail("web: a page that never reads still connected after " + patience);
        }
    }

    /** A slowloris: one byte of a request head every half second, never finishing it. */
    void slowloris() throws IOException {
        long began = System.nanoTime();
        byte[] head = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        try (RawHttp slow = RawHttp.connect(port)) {
            Duration patience = LIMITS.headDeadline().plus(SLACK);
            slow.socket().setSoTimeout(500);
            for (int i = 0; System.nanoTime() - began < patience.toNanos(); i++) {
                try {
                    slow.socket().getOutputStream().write(head[Math.min(i, head.length - 1)]);
                    String answer = slow.line();
                    // An answer (408, or 503 at the cap) or the end of the stream: either way the server let go.
                    tally.count(answer != null && answer.contains(" 503 ") ? "web: slowloris refused (cap)"
                            : "web: slowloris cut off");
                    tally.max("web: slowloris held ms", Duration.ofNanos(System.nanoTime() - began).toMillis());
                    return;
                } catch (SocketTimeoutException e) {
                    // nothing yet: the next byte
                } catch (SocketException e) {
                    tally.count("web: slowloris cut off");
                    return;
                }
            }
            tally.fail("web: a slowloris still connected after " + patience);
        }
    }

    /** More idle connections than the web port serves: the ones past the cap hear 503 at once. */
    void floodConnections() throws IOException {
        List<RawHttp> idle = new ArrayList<>();
        floodEvents.incrementAndGet();
        try {
            for (int i = 0; i < LIMITS.maxConnections() + 16; i++) {
                idle.add(RawHttp.connect(port));
            }
            // The served ones wait for a request head that will not come; those past the cap hear why not, once the
            // acceptor has reached them (on a loaded machine, that may take a moment): look from the last one back.
            long deadline = System.nanoTime() + LIMITS.headDeadline().toNanos() / 2;
            while (System.nanoTime() < deadline) {
                for (RawHttp connection : idle.reversed()) {
                    connection.socket().setSoTimeout(50);
                    try {
                        String status = connection.line();
                        if (status != null && status.contains(" 503 ")) {
                            tally.count("web: connection flood refused past the cap");
                            return;
                        }
                    } catch (SocketTimeoutException e) {
                        // not answered (yet)
                    }
                }
            }
            tally.fail("web: " + idle.size() + " idle connections, and none heard 503");
        } finally {
            for (RawHttp connection : idle) {
                connection.close();
            }
            floodEvents.incrementAndGet();
        }
    }

    private boolean refusedAtTheCap(RawHttp.Response response, String who) {
        if (response.status() == 503) {
            tally.count("web: " + who + " refused (cap)");
            return true;
        }
        return false;
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    }

    /** Pacing, not synchronization. */
    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
