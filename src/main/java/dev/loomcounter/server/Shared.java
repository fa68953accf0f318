package dev.loomcounter.server;

import dev.loomcounter.counting.RequestCounter;
import dev.loomcounter.live.Recorder;
import dev.loomcounter.log.Log;
import dev.loomcounter.protocol.RequestParser;
import dev.loomcounter.settings.ServerSettings;
import java.util.function.BooleanSupplier;

/**
 * Made once on the thread that starts the server, then read by every connection's threads: what they all share, the
 * server's settings, parser, counting core, log, state and live view.
 */
record Shared(ServerSettings settings, RequestParser parser, RequestCounter counter, Log log,
              BooleanSupplier shuttingDown, Recorder live) {
}
