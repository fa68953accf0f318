package dev.loomcounter.benchmarks;

import dev.loomcounter.log.Log;
import dev.loomcounter.server.CountingServer;
import dev.loomcounter.settings.Defaults;
import dev.loomcounter.settings.Durations;
import dev.loomcounter.settings.Fairness;
import dev.loomcounter.settings.ServerSettings;
import dev.loomcounter.settings.ThreadKind;
import dev.loomcounter.settings.WorkKind;
import dev.loomcounter.settings.WorkSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;

/** The real server for the end-to-end benchmarks: on 127.0.0.1, a free port (0), silent, with busy-loop work. */
final class LoopbackServer {

    private LoopbackServer() {
    }

    /**
     * Settings for a benchmark: CPU work of exactly one unit of {@code unitIterations} per subtask (maxUnits 1, so no
     * randomness in the work), room for {@code maxConnections}, and the server's defaults for the rest. A short
     * shutdown grace keeps the teardown between trials short.
     */
    static ServerSettings settings(ThreadKind kind, Fairness fairness, long unitIterations, int maxConnections) {
        WorkSettings work = new WorkSettings(WorkKind.SPIN, unitIterations, Defaults.SLICE_ITERATIONS,
                Duration.ofMillis(Defaults.UNIT_MILLIS), 1, OptionalLong.of(1));
        return new ServerSettings("127.0.0.1", 0, maxConnections, Defaults.MAX_INCREMENTS, Defaults.MAX_LINE_BYTES,
                Durations.parse(Defaults.REQUEST_TIMEOUT), Durations.parse(Defaults.IDLE_TIMEOUT),
                Duration.ofMillis(500), work, kind, fairness, true);
    }

    static CountingServer start(ServerSettings settings) throws IOException {
        // Log.silent(): a benchmark measures the server, not the terminal it would print to.
        return CountingServer.start(settings, Log.silent());
    }
}
