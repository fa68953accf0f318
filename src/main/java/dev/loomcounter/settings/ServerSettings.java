package dev.loomcounter.settings;

import java.time.Duration;
import java.util.Objects;

/** Everything the server needs to know, checked once so that the server never has to doubt it. */
public record ServerSettings(
        String host,
        int port,
        int maxConnections,
        int maxIncrements,
        int maxLineBytes,
        Duration requestTimeout,
        Duration idleTimeout,
        Duration shutdownGrace,
        WorkSettings work,
        ThreadKind threads,
        Fairness fairness,
        boolean quiet) {

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(fairness, "fairness");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        }
        requirePositive("max connections", maxConnections);
        requirePositive("max line bytes", maxLineBytes);
        if (maxIncrements < 0) {
            throw new IllegalArgumentException("max increments must be 0 or more, got " + maxIncrements);
        }
        requirePositive("request timeout", requestTimeout);
        requirePositive("idle timeout", idleTimeout);
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdown grace must not be negative, got " + shutdownGrace);
        }
    }

    private static void requirePositive(String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be 1 or more, got " + value);
        }
    }

    private static void requirePositive(String what, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be longer than zero, got " + value);
        }
    }
}
