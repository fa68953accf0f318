package dev.loomcounter.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loomcounter.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jdk.management.VirtualThreadSchedulerMXBean;

/**
 * The live view's web server: the page, its event stream, the metrics and the thread dump, read-only.
 *
 * <p>The JDK's own {@link HttpServer}, each exchange on a virtual thread of its own. An open page holds its
 * {@code /events} exchange for as long as it stays open, and plain blocking writes are the whole streaming code.
 */
public final class LiveServer implements AutoCloseable {

    /** The page's files, served from the jar: no network needed in a classroom. */
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/live.js", "live.js",
            "/live.css", "live.css",
            "/favicon.svg", "favicon.svg");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");
    /** An open page hears from the server at least this often, so a closed tab is noticed by a failing write. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(2);

    private final Recorder recorder;
    private final HttpServer http;
    private final ExecutorService exchanges = Executors.newVirtualThreadPerTaskExecutor();
    private final Broadcast broadcast;

    private LiveServer(Recorder recorder, HttpServer http, String carrierPrefix) {
        this.recorder = recorder;
        this.http = http;
        this.broadcast = new Broadcast(recorder, carrierPrefix);
    }

    /**
     * Serves the live view of {@code recorder} on {@code host:port} (port 0: a free one) until {@link #close()}.
     */
    public static LiveServer start(Recorder recorder, String host, int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
        String carrierPrefix;
        try {
            carrierPrefix = Carriers.carrierPrefix();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the live view", e);
        }
        LiveServer server = new LiveServer(recorder, http, carrierPrefix);
        server.schedulerGauges();
        http.createContext("/", server::handle);
        http.setExecutor(server.exchanges);
        http.start();
        return server;
    }

    /**
     * Starts the view beside a counting server and says where, in the line after the server's listening line. The
     * page is an extra: a port already in use is said in one line, and the counting server runs on without it.
     */
    public static Optional<LiveServer> startBeside(Recorder recorder, String host, int port, Log log) {
        try {
            LiveServer view = start(recorder, host, port);
            log.info("live view: " + view.url());
            return Optional.of(view);
        } catch (BindException e) {
            log.info("live view off: " + host + ":" + port + " is in use (--web-port picks another, 0 none)");
            return Optional.empty();
        } catch (IOException e) {
            log.info("live view off: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The virtual-thread scheduler's own view of itself (JDK 24 and later), on the page and on /metrics. */
    private void schedulerGauges() {
        VirtualThreadSchedulerMXBean scheduler = ManagementFactory.getPlatformMXBean(VirtualThreadSchedulerMXBean.class);
        recorder.gauge("jdk_virtual_thread_scheduler_parallelism",
                "Carriers the scheduler aims to keep busy (as many as cores).", scheduler::getParallelism);
        recorder.gauge("jdk_virtual_thread_scheduler_pool_size",
                "Carrier threads that exist now, busy or idle.", scheduler::getPoolSize);
        recorder.gauge("jdk_virtual_thread_scheduler_mounted",
                "Virtual threads mounted on a carrier now (an estimate).", scheduler::getMountedVirtualThreadCount);
        recorder.gauge("jdk_virtual_thread_scheduler_queued",
                "Virtual threads ready to run and waiting for a carrier (an estimate).",
                scheduler::getQueuedVirtualThreadCount);
        recorder.gauge("loomcounter_live_events_dropped_total",
                "Events the live view dropped because more came than it sends (ten thousand a second).",
                recorder::eventsDropped);
        recorder.gauge("loomcounter_live_batches_dropped_total",
                "Batches of events dropped for a page that did not read them fast enough.",
                broadcast::batchesDropped);
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The page's address, as printed after the server's listening line. */
    public String url() {
        return "http://" + http.getAddress().getHostString() + ":" + port() + "/";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", method + " not allowed: the live view is read-only\n");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/events" -> stream(exchange);
                case "/metrics" -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                        recorder.metrics().prometheus());
                case "/threads" -> send(exchange, 200, "application/json; charset=utf-8", ThreadDump.json());
                default -> {
                    String file = FILES.get(path);
                    if (file == null) {
                        send(exchange, 404, "text/plain; charset=utf-8", "no such page: " + path + "\n");
                    } else {
                        send(exchange, 200, TYPES.get(file.substring(file.lastIndexOf('.') + 1)), resource(file));
                    }
                }
            }
        }
    }

    /**
     * {@code /events}: Server-Sent Events, one {@code data:} line per batch, until the page goes away or the
     * server stops. The first message says what the server runs, for the page's title line.
     */
    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        StringBuilder hello = new StringBuilder("{\"description\":");
        Json.quote(hello, recorder.description());
        hello.append(",\"subtasksHoldCarriers\":").append(recorder.subtasksHoldCarriers())
                .append(",\"periodMillis\":").append(Broadcast.PERIOD.toMillis()).append('}');
        write(out, "event: hello\ndata: " + hello + "\n\n");
        // The batches are written from a platform thread: with fairness off, CPU-bound subtasks can hold every
        // carrier for seconds, and a virtual thread writing to the page would wait in their queue. That starvation
        // is the very thing the page is there to show, so the page must not starve with it.
        Thread writer = Thread.ofPlatform().name("live-view-stream").daemon().start(() -> sendBatches(out));
        try {
            writer.join();
        } catch (InterruptedException e) {
            writer.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    /** Writes every batch to one page until it goes away or the view closes. */
    private void sendBatches(OutputStream out) {
        try (Broadcast.Subscription subscription = broadcast.subscribe()) {
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
            // the page was closed, or the view is closing: the subscription ends here
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = LiveServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("missing from the jar: " + name));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Ends every open page's stream, then stops serving; returns when every exchange has finished. */
    @Override
    public void close() {
        broadcast.close();
        http.stop(0);
        exchanges.close();
    }
}
