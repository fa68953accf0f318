package dev.loomcounter.testing;

import static org.awaitility.Awaitility.await;

import dev.loomcounter.counting.SubtaskGauge;
import dev.loomcounter.log.Log;
import dev.loomcounter.server.CountingServer;
import dev.loomcounter.settings.ServerOptions;
import dev.loomcounter.settings.ServerSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A real {@link CountingServer} in the test's JVM, made from the same flags a user types, on a free port, with tiny
 * work, its log kept for assertions.
 */
public final class TestServer implements AutoCloseable {

    /**
     * Port 0, no live view, and work units so small that counting takes microseconds but still forks real subtasks.
     * A test's own flags come after these and override them.
     */
    public static final List<String> TEST_FLAGS = List.of("--port", "0", "--web-port", "0",
            "--unit-iterations", "1000", "--max-units", "3", "--seed", "7");

    private final CountingServer server;
    private final Log log;
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();

    private TestServer(ServerSettings settings) throws IOException {
        // Every line kept, none folded: tests look for particular lines.
        this.log = Log.to(lines::add, settings.quiet());
        try {
            this.server = CountingServer.start(settings, log);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /** A server with {@link #TEST_FLAGS} and then {@code flags}. */
    public static TestServer start(String... flags) throws IOException {
        return new TestServer(settings(flags));
    }

    public static ServerSettings settings(String... flags) {
        List<String> args = new ArrayList<>(TEST_FLAGS);
        args.addAll(List.of(flags));
        return ServerOptions.fromFlags(args.toArray(String[]::new));
    }

    public int port() {
        return server.port();
    }

    public CountingServer server() {
        return server;
    }

    public int openConnections() {
        return server.openConnections();
    }

    public SubtaskGauge subtasks() {
        return server.subtasks();
    }

    public boolean isShuttingDown() {
        return server.isShuttingDown();
    }

    /** A raw client connected to this server. */
    public TestClient connect() throws IOException {
        return new TestClient(port());
    }

    /** The log so far; the server writes it from its own threads, so await what you look for. */
    public List<String> log() {
        return List.copyOf(lines);
    }

    /** Waits for a log line containing {@code fragment}, and returns it. */
    public String awaitLog(String fragment) {
        return await().atMost(Duration.ofSeconds(20))
                .until(() -> lines.stream().filter(line -> line.contains(fragment)).findFirst(),
                        found -> found.isPresent())
                .orElseThrow();
    }

    /** Stops the server, then writes out its log to the end. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            log.close();
        }
    }
}
