package dev.loomcounter.client;

import dev.loomcounter.client.link.Dialer;
import dev.loomcounter.client.link.ServerAddress;
import dev.loomcounter.log.Log;
import dev.loomcounter.server.CountingServer;
import dev.loomcounter.settings.Fairness;
import dev.loomcounter.settings.ServerSettings;
import dev.loomcounter.settings.ThreadKind;
import dev.loomcounter.settings.WorkKind;
import dev.loomcounter.settings.WorkSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A real {@link CountingServer} in the test's JVM, on a free port, with tiny work, its log kept for assertions. */
public final class TestServer implements AutoCloseable {

    /** A thousand iterations a unit, 1 to 3 units: requests take microseconds, but still fork real subtasks. */
    public static final WorkSettings TINY_WORK = new WorkSettings(WorkKind.SPIN, 1_000, 1_000, Duration.ofMillis(1), 3,
            OptionalLong.of(1));

    private final CountingServer server;
    private final Queue<String> log = new ConcurrentLinkedQueue<>();

    private TestServer(int maxConnections, int maxIncrements, WorkSettings work) throws IOException {
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, maxConnections, maxIncrements, 1_024,
                Duration.ofSeconds(20), Duration.ofMinutes(1), Duration.ofSeconds(1), work, ThreadKind.VIRTUAL,
                Fairness.ON, false);
        this.server = CountingServer.start(settings, Log.to(log::add, false));
    }

    public static TestServer start() throws IOException {
        return new TestServer(100, 1_000, TINY_WORK);
    }

    public static TestServer start(int maxConnections, int maxIncrements, WorkSettings work) throws IOException {
        return new TestServer(maxConnections, maxIncrements, work);
    }

    public int port() {
        return server.port();
    }

    public ServerAddress address() {
        return new ServerAddress("127.0.0.1", port());
    }

    public Dialer dialer() {
        return new Dialer(address(), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    /** The log so far; the server writes it from its own threads, so await what you look for. */
    public List<String> log() {
        return List.copyOf(log);
    }

    @Override
    public void close() {
        server.close();
    }
}
