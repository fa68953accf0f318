package dev.loomcounter.server;

import dev.loomcounter.Main;
import dev.loomcounter.log.Log;
import dev.loomcounter.settings.ServerSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Starts in-process servers for tests, configured with the same flags a user types. */
final class TestServers {

    /** Port 0, no per-subtask logs, and work units so small that counting is instant. */
    private static final List<String> TEST_DEFAULTS = List.of("--port", "0", "--quiet", "--unit-iterations", "1000",
            "--max-units", "3", "--seed", "7");

    private TestServers() {
    }

    static ServerSettings settings(String... flags) {
        List<String> args = new ArrayList<>(TEST_DEFAULTS);
        args.addAll(List.of(flags));
        ServerCommand command = new ServerCommand();
        // A test's own flags come after the defaults above and override them.
        Main.configure(new CommandLine(command)).setOverwrittenOptionsAllowed(true).parseArgs(args.toArray(String[]::new));
        return command.settings();
    }

    static CountingServer start(String... flags) throws IOException {
        return CountingServer.start(settings(flags), Log.silent());
    }
}
