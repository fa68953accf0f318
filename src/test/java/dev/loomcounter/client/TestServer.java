package dev.loomcounter.client;

import dev.loomcounter.settings.WorkSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The client tests' server: {@link dev.loomcounter.testing.TestServer}, with the client's view of its address. */
final class TestServer implements AutoCloseable {

    /** A thousand iterations a unit, 1 to 3 units: requests take microseconds, but still fork real subtasks. */
    static final List<String> TINY_WORK = List.of("--unit-iterations", "1000", "--slice-iterations", "1000",
            "--max-units", "3", "--seed", "1");

    private final dev.loomcounter.testing.TestServer server;

    private TestServer(dev.loomcounter.testing.TestServer server) {
        this.server = server;
    }

    static TestServer start() throws IOException {
        return start(100, 1_000, TINY_WORK);
    }

    static TestServer start(int maxConnections, int maxIncrements, List<String> work) throws IOException {
        List<String> flags = new ArrayList<>(List.of("--max-connections", "" + maxConnections,
                "--max-increments", "" + maxIncrements, "--request-timeout", "20s", "--idle-timeout", "1m",
                "--shutdown-grace", "1s"));
        flags.addAll(work);
        return new TestServer(dev.loomcounter.testing.TestServer.start(flags.toArray(String[]::new)));
    }

    /** Work given as settings, written back as the flags that make them. */
    static TestServer start(int maxConnections, int maxIncrements, WorkSettings work) throws IOException {
        return start(maxConnections, maxIncrements, List.of("--work", work.kind().name(),
                "--unit-iterations", "" + work.unitIterations(), "--slice-iterations", "" + work.sliceIterations(),
                "--unit-millis", "" + work.unitDuration().toMillis(), "--max-units", "" + work.maxUnits(),
                "--seed", "" + work.seed().orElse(1)));
    }

    int port() {
        return server.port();
    }

    ServerAddress address() {
        return new ServerAddress("127.0.0.1", port());
    }

    Dialer dialer() {
        return new Dialer(address(), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    /** The log so far; the server writes it from its own threads, so await what you look for. */
    List<String> log() {
        return server.log();
    }

    @Override
    public void close() {
        server.close();
    }
}
