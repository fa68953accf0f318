package dev.loomcounter.settings;

import picocli.CommandLine.Option;

/**
 * Where a client connects: the server's two flags, {@link ListenOptions}, with the same names and defaults, so that a
 * client started with the server's flags finds it; but port 0, "any free port", names no server to connect to.
 */
public final class ConnectOptions {

    @Option(names = "--host", paramLabel = "HOST", defaultValue = Defaults.HOST, converter = HostConverter.class,
            description = "The server's address (default: ${DEFAULT-VALUE}).")
    public String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "" + Defaults.PORT,
            description = "The server's TCP port, 1 to 65535 (default: ${DEFAULT-VALUE}).")
    public int port;

    /** @throws IllegalArgumentException naming {@code --port} if it is out of range */
    public void check() {
        Limits.check("--port", port, 1, Limits.MAX_PORT);
    }
}
