package dev.loomcounter.settings;

import picocli.CommandLine.Option;

/** Where the server listens. The clients' side of the same two flags, with the same defaults, is {@link ConnectOptions}. */
public final class ListenOptions {

    @Option(names = "--host", paramLabel = "HOST", defaultValue = Defaults.HOST, converter = HostConverter.class,
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    public String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "" + Defaults.PORT,
            description = "TCP port to listen on, 0 to 65535; 0 lets the system pick a free one, printed at start "
                    + "(default: ${DEFAULT-VALUE}).")
    public int port;

    /** @throws IllegalArgumentException naming {@code --port} if it is out of range */
    void check() {
        Limits.check("--port", port, 0, Limits.MAX_PORT);
    }
}
