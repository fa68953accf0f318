package dev.loomcounter.client.link;

import java.util.Objects;

/** Where the server is, as a client names it in every message: {@code 127.0.0.1:7007}. */
public record ServerAddress(String host, int port) {

    public ServerAddress {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
        }
    }

    @Override
    public String toString() {
        // An IPv6 literal needs brackets, or its colons would blur into the port's.
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
