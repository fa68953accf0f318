package dev.loomcounter.live;

import dev.loomcounter.live.http.Authority;
import dev.loomcounter.live.http.Exchange;
import dev.loomcounter.live.http.Header;
import dev.loomcounter.live.http.RequestHead;
import dev.loomcounter.live.http.Status;
import dev.loomcounter.live.http.WebLimits;
import dev.loomcounter.live.http.WebServer;
import dev.loomcounter.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The live view's web server: the page, its event stream, the metrics and the thread dump, read-only.
 *
 * <p>It runs on the project's own small HTTP server ({@link WebServer}): a virtual thread per connection, and limits
 * ({@link WebLimits}) on everything a client could make it hold. An open page holds its {@code /events} connection
 * for as long as it stays open, and plain blocking writes are the whole streaming code.
 */
public final class LiveServer implements AutoCloseable {

    /** The page's files, served from the jar: no network needed in a classroom. */
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/live.js", "live.js",
            "/live.css", "live.css",
            "/favicon.svg", "favicon.svg",
            // Browsers ask for /favicon.ico on their own; the SVG serves there too, so the console shows no 404.
            "/favicon.ico", "favicon.svg");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";
    private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";
    /**
     * On every response, the files included: a page served by a restarted server of another version is never
     * stale, and the files are a few kilobytes from the same machine.
     */
    private static final Header NO_STORE = new Header("Cache-Control", "no-store");
    /**
     * The page has no inline script or style, so it can forbid both, and anything from elsewhere: a script slipped
     * into the page (a thread name, say, written where it should not be) would not run.
     */
    private static final Header[] PAGE_HEADERS = {NO_STORE,
        new Header("Content-Security-Policy", "default-src 'self'"),
        new Header("Referrer-Policy", "no-referrer")};
    private static final Header RETRY_AFTER = new Header("Retry-After", "1");
    /** An open page hears from the server at least this often, so a closed tab is noticed by a failing write. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(2);

    private final Recorder recorder;
    private final Broadcast broadcast;
    private final ThreadDump threadDump;
    private final MetricsEndpoint metrics;
    private final Map<String, byte[]> files;
    /** Set once, by {@link #start}, before anything else reads it. */
    private WebServer web;

    private LiveServer(Recorder recorder, String carrierPrefix, WebLimits limits, Map<String, byte[]> files) {
        this.recorder = recorder;
        this.broadcast = new Broadcast(recorder, carrierPrefix, limits.maxSubscribers());
        this.threadDump = new ThreadDump(recorder.threads(), carrierPrefix);
        this.metrics = new MetricsEndpoint(recorder.metrics());
        this.files = files;
    }

    /**
     * Serves the live view of {@code recorder} on {@code host:port} (port 0: a free one), with the default limits,
     * until {@link #close()}.
     */
    public static LiveServer start(Recorder recorder, String host, int port, Consumer<String> notes)
            throws IOException {
        return start(recorder, host, port, WebLimits.DEFAULTS, notes);
    }

    /** As {@link #start(Recorder, String, int, Consumer)}, with the limits given: for tests. */
    static LiveServer start(Recorder recorder, String host, int port, WebLimits limits, Consumer<String> notes)
            throws IOException {
        String carrierPrefix;
        try {
            carrierPrefix = Carriers.carrierPrefix();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the live view", e);
        }
        LiveServer server = new LiveServer(recorder, carrierPrefix, limits, files());
        try {
            server.web = WebServer.start(new InetSocketAddress(host, port), limits, server::handle, notes);
        } catch (IOException | RuntimeException e) {
            server.broadcast.close();
            throw e;
        }
        server.gauges(server.web);
        return server;
    }

    /**
     * Starts the view beside a counting server and says where, in the line after the server's listening line. The
     * page is an extra: a port already in use is said in one line, and the counting server runs on without it.
     */
    public static Optional<LiveServer> startBeside(Recorder recorder, String host, int port, Log log) {
        try {
            LiveServer view = start(recorder, host, port, log::info);
            boolean everywhere = view.web.address().getAddress().isAnyLocalAddress();
            log.info("live view: " + view.url() + (everywhere ? " (listening on all interfaces)" : ""));
            return Optional.of(view);
        } catch (BindException e) {
            log.info("live view off: " + where(host, port) + " is in use (--web-port picks another, 0 none)");
            return Optional.empty();
        } catch (IOException e) {
            log.info("live view off: cannot listen on " + where(host, port) + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code host:port} as given, an IPv6 address in brackets so that the port stays apart from it. */
    private static String where(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The view's own counts; the scheduler's gauges are among the JVM's ({@link StandardFamilies}). */
    private void gauges(WebServer web) {
        recorder.gauge("loomcounter_live_events_dropped_total",
                "Events the live view dropped because more came than it sends (ten thousand a second).",
                recorder::eventsDropped);
        recorder.gauge("loomcounter_live_batches_dropped_total",
                "Batches of events dropped for a page that did not read them fast enough.",
                broadcast::batchesDropped);
        recorder.gauge("loomcounter_live_streams_open",
                "Pages subscribed to the event stream now.", broadcast::subscribers);
        recorder.gauge("loomcounter_live_web_connections_open",
                "Connections to the live view's web port being served now.", web::openConnections);
        recorder.gauge("loomcounter_live_writes_timed_out_total",
                "Web connections closed because the client took no bytes within the write timeout.",
                web::writesTimedOut);
    }

    public int port() {
        return web.address().getPort();
    }

    /** Thread dumps really taken, not served again from the last one: for tests. */
    long dumpsTaken() {
        return threadDump.taken();
    }

    /**
     * The page's address, as printed after the server's listening line: one a browser accepts, an IPv6 address in
     * brackets, and for a server listening on every interface, the loopback address.
     */
    public String url() {
        InetSocketAddress address = web.address();
        return "http://" + Authority.of(Authority.reachable(address.getAddress()), address.getPort()) + "/";
    }

    private void handle(Exchange exchange) throws IOException {
        RequestHead request = exchange.request();
        if (!request.method().equals("GET") && !request.isHead()) {
            exchange.send(Status.METHOD_NOT_ALLOWED, TEXT, utf8("only GET and HEAD: the live view is read-only\n"),
                    new Header("Allow", "GET, HEAD"), NO_STORE);
            return;
        }
        switch (request.path()) {
            case "/events" -> stream(exchange);
            case "/metrics" -> exchange.send(Status.OK, metrics.contentType(), metrics.scrape(), NO_STORE);
            case "/threads" -> {
                // A dump walks every thread's stack: a HEAD, which wants the head alone, does not get one taken.
                if (request.isHead()) {
                    exchange.sendWithoutLength(Status.OK, JSON, NO_STORE);
                } else {
                    exchange.send(Status.OK, JSON, utf8(threadDump.json()), NO_STORE);
                }
            }
            default -> {
                String file = FILES.get(request.path());
                if (file == null) {
                    // The path is not echoed: a page that repeats what it was sent is a mirror for someone else's text.
                    exchange.send(Status.NOT_FOUND, TEXT, utf8("no such page\n"), NO_STORE);
                } else {
                    String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
                    exchange.send(Status.OK, type, files.get(file), file.endsWith(".html") ? PAGE_HEADERS
                            : new Header[] {NO_STORE});
                }
            }
        }
    }

    /**
     * {@code /events}: Server-Sent Events, one {@code data:} line per batch, until the page goes away or the
     * server stops. The first message says what the server runs, for the page's title line. At most
     * {@link WebLimits#maxSubscribers()} pages at once: one more is told to come back later.
     */
    private void stream(Exchange exchange) throws IOException {
        if (exchange.request().isHead()) {
            exchange.sendWithoutLength(Status.OK, EVENT_STREAM, NO_STORE);
            return;
        }
        Optional<Broadcast.Subscription> subscribed = broadcast.subscribe();
        if (subscribed.isEmpty()) {
            exchange.send(Status.SERVICE_UNAVAILABLE, TEXT, utf8("too many pages are open; try again later\n"),
                    RETRY_AFTER, NO_STORE);
            return;
        }
        try (Broadcast.Subscription subscription = subscribed.get()) {
            OutputStream out = exchange.stream(Status.OK, EVENT_STREAM, NO_STORE);
            // The batches are written from a platform thread: with fairness off, CPU-bound subtasks can hold every
            // carrier for seconds, and a virtual thread writing to the page would wait in their queue. That
            // starvation is the very thing the page is there to show, so the page must not starve with it.
            // A page that stops reading blocks this thread in a write; the web server's write timeout closes the
            // socket, the write fails, and the thread ends.
            Thread writer = Thread.ofPlatform().name("live-view-stream").daemon()
                    .start(() -> sendBatches(out, subscription));
            try {
                writer.join();
            } catch (InterruptedException e) {
                writer.interrupt();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Says hello, then writes every batch to one page until it goes away or the view closes. */
    private void sendBatches(OutputStream out, Broadcast.Subscription subscription) {
        StringBuilder hello = new StringBuilder("{\"description\":");
        Json.quote(hello, recorder.description());
        hello.append(",\"subtasksHoldCarriers\":").append(recorder.subtasksHoldCarriers())
                .append(",\"periodMillis\":").append(Broadcast.PERIOD.toMillis()).append('}');
        try {
            write(out, "event: hello\ndata: " + hello + "\n\n");
            while (!broadcast.isClosed()) {
                String batch = subscription.next(KEEP_ALIVE);
                if (batch == null) {
                    write(out, ": keep-alive\n\n");
                } else if (Broadcast.isClosingMark(batch)) {
                    break;
                } else {
                    write(out, "data: " + batch + "\n\n");
                }
            }
        } catch (InterruptedException | IOException e) {
            // the page was closed, its write timed out, or the view is closing: the subscription ends here
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The page's files, read once from the jar: a file missing from it fails the start, not a request. */
    private static Map<String, byte[]> files() throws IOException {
        Map<String, byte[]> bytes = new HashMap<>();
        for (String name : FILES.values()) {
            try (InputStream in = LiveServer.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IOException("missing from the jar: " + name);
                }
                bytes.put(name, in.readAllBytes());
            }
        }
        return Map.copyOf(bytes);
    }

    /**
     * Ends every open page's stream, then stops serving; returns when every connection has finished. The pinning
     * stream closes last, after the scrape that may have started it.
     */
    @Override
    public void close() {
        broadcast.close();
        web.close();
        metrics.close();
    }
}
