package dev.loomcounter.settings;

import java.time.Duration;
import java.util.Objects;
import picocli.CommandLine;

/**
 * Everything the server needs to know, checked once so that the server never has to doubt it. There is one way to
 * make them: from the same flags a person types ({@link ServerOptions}).
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

    /**
     * Settings from server flags, e.g. {@code fromFlags("--port", "0", "--quiet")}: every flag not given keeps its
     * default, exactly as on the command line. The demo, the benchmarks and the tests build their servers this way.
     *
     * @throws CommandLine.ParameterException for an unknown flag or a value of the wrong type
     * @throws IllegalArgumentException       for a value out of range
     */
    public static ServerSettings fromFlags(String... flags) {
        ServerOptions options = new ServerOptions();
        new CommandLine(options).setOverwrittenOptionsAllowed(true).parseArgs(flags);
        return options.settings();
    }

    private static void requirePositive(String what, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be longer than zero, got " + value);
        }
    }
}
