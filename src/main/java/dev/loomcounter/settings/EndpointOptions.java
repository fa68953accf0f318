package dev.loomcounter.settings;

import picocli.CommandLine.Option;

/** Where the server listens and where the clients connect: the same two flags, the same defaults, for both. */
public final class EndpointOptions {

    @Option(names = "--host", paramLabel = "HOST", defaultValue = Defaults.HOST,
            description = "Address to listen on / connect to (default: ${DEFAULT-VALUE}).")
    public String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "" + Defaults.PORT,
            description = "TCP port; 0 lets the server pick a free one and print it (default: ${DEFAULT-VALUE}).")
    public int port;
}
