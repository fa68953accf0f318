package dev.loomcounter.benchmarks;

import dev.loomcounter.log.Log;
import dev.loomcounter.server.CountingServer;
import dev.loomcounter.settings.Fairness;
import dev.loomcounter.settings.ServerOptions;
import dev.loomcounter.settings.ServerSettings;
import dev.loomcounter.settings.ThreadKind;
import java.io.IOException;

/** The real server for the end-to-end benchmarks: on 127.0.0.1, a free port (0), silent, with busy-loop work. */
final class LoopbackServer {

    private LoopbackServer() {
    }

    /**
     * Settings for a benchmark, as server flags: CPU work of exactly one unit of {@code unitIterations} per subtask
     * (max units 1, so no randomness in the work), room for {@code maxConnections}, and the server's defaults for
     * the rest. A short shutdown grace keeps the teardown between trials short.
     */
    static ServerSettings settings(ThreadKind kind, Fairness fairness, long unitIterations, int maxConnections) {
        return ServerOptions.fromFlags("--port", "0", "--web-port", "0", "--quiet",
                "--threads", kind.name(), "--fairness", fairness.name(),
                "--unit-iterations", "" + unitIterations, "--max-units", "1", "--seed", "1",
                "--max-connections", "" + maxConnections, "--shutdown-grace", "500ms");
    }

    static CountingServer start(ServerSettings settings) throws IOException {
        // Log.silent(): a benchmark measures the server, not the terminal it would print to.
        return CountingServer.start(settings, Log.silent());
    }
}
