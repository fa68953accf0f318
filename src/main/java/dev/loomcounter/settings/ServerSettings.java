package dev.loomcounter.settings;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything the server needs to know, checked once so that the server never has to doubt it. Plain values, free of
 * the command line: the flags are mapped to them at the edge, by {@link ServerOptions}.
 */
public record ServerSettings(
        String host,
        int port,
        int maxConnections,
        int maxIncrements,
        int maxSubtasks,
        int maxLineBytes,
        Duration requestTimeout,
        Duration idleTimeout,
        Duration writeTimeout,
        Duration shutdownGrace,
        WorkSettings work,
        ThreadKind threads,
        Fairness fairness,
        int webPort,
        String webHost,
        boolean quiet,
        int logLinesPerSecond) {

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(webHost, "webHost");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(fairness, "fairness");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        }
        if (webPort < 0 || webPort > 65_535) {
            throw new IllegalArgumentException("web port must be 0 to 65535, got " + webPort);
        }
        requirePositive("request timeout", requestTimeout);
        requirePositive("idle timeout", idleTimeout);
        requirePositive("write timeout", writeTimeout);
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdown grace must not be negative, got " + shutdownGrace);
        }
    }

    private static void requirePositive(String what, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be longer than zero, got " + value);
        }
    }
}
