package dev.loomcounter.settings;

import java.time.Duration;
import java.util.OptionalLong;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The server's flags, each with its default from {@link Defaults}: the one way to describe a server, whether a person
 * types the flags, the demo or a benchmark writes them, or a test does ({@link #fromFlags}).
 */
public final class ServerOptions {

    @Mixin
    ListenOptions endpoint;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + Defaults.MAX_CONNECTIONS,
            description = "Connections served at once; one more gets ERR busy (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-increments", paramLabel = "N", defaultValue = "" + Defaults.MAX_INCREMENTS,
            description = "Increments (subtasks) allowed in one request (default: ${DEFAULT-VALUE}).")
    int maxIncrements;

    @Option(names = "--max-subtasks", paramLabel = "N", defaultValue = "" + Defaults.MAX_SUBTASKS,
            description = "Subtasks running at once in the whole server; a request that would exceed it gets "
                    + "ERR overloaded and the connection stays open (default: ${DEFAULT-VALUE}).")
    int maxSubtasks;

    @Option(names = "--max-line-bytes", paramLabel = "BYTES", defaultValue = "" + Defaults.MAX_LINE_BYTES,
            description = "Longest request line; a longer one gets ERR line-too-long and the connection is closed "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxLineBytes;

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = Defaults.REQUEST_TIMEOUT,
            converter = DurationConverter.class,
            description = "Cancel a request running longer and answer ERR timeout; a duration such as 500ms, 30s, 2m "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = Defaults.IDLE_TIMEOUT,
            converter = DurationConverter.class,
            description = "Close a connection without a request for this long; a line must also arrive whole within "
                    + "it (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--write-timeout", paramLabel = "DURATION", defaultValue = Defaults.WRITE_TIMEOUT,
            converter = DurationConverter.class,
            description = "Close a connection whose client does not take a reply within this long, and cancel its "
                    + "work (default: ${DEFAULT-VALUE}).")
    Duration writeTimeout;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = Defaults.SHUTDOWN_GRACE,
            converter = DurationConverter.class,
            description = "On shutdown, how long running requests may finish before they are cancelled "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    @Option(names = "--work", paramLabel = "spin|sleep", defaultValue = Defaults.WORK,
            converter = LowerCaseEnumConverter.Work.class,
            description = "What a subtask does per unit: spin (CPU busy loop) or sleep (blocking wait) "
                    + "(default: ${DEFAULT-VALUE}).")
    WorkKind work;

    @Option(names = "--unit-iterations", paramLabel = "N", defaultValue = "" + Defaults.UNIT_ITERATIONS,
            description = "Busy-loop iterations in one unit of spin work (default: ${DEFAULT-VALUE}).")
    long unitIterations;

    @Option(names = "--slice-iterations", paramLabel = "N", defaultValue = "" + Defaults.SLICE_ITERATIONS,
            description = "Spin work runs in slices of N iterations; with fairness on, requests take turns slice by slice "
                    + "(default: ${DEFAULT-VALUE}).")
    long sliceIterations;

    @Option(names = "--unit-millis", paramLabel = "DURATION", defaultValue = Defaults.UNIT_MILLIS,
            converter = DurationConverter.MillisByDefault.class,
            description = "How long one unit of sleep work sleeps, such as 10ms; a bare number is milliseconds "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration unitMillis;

    @Option(names = "--max-units", paramLabel = "N", defaultValue = "" + Defaults.MAX_UNITS,
            description = "Each subtask draws 1 to N units of work (default: ${DEFAULT-VALUE}).")
    int maxUnits;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed the draws of units, for repeatable runs (default: a fresh seed).")
    Long seed;

    @Option(names = "--threads", paramLabel = "virtual|platform", defaultValue = Defaults.THREADS,
            converter = LowerCaseEnumConverter.Threads.class,
            description = "Thread kind for connections and subtasks alike (default: ${DEFAULT-VALUE}).")
    ThreadKind threads;

    @Option(names = "--fairness", paramLabel = "on|off", defaultValue = Defaults.FAIRNESS,
            converter = LowerCaseEnumConverter.Fair.class,
            description = "on: spin slices run on a pool of one platform thread per core, round-robin by request, so "
                    + "no client starves; off: each subtask spins on its own thread (default: ${DEFAULT-VALUE}).")
    Fairness fairness;

    @Option(names = "--web-port", paramLabel = "PORT", defaultValue = "" + Defaults.WEB_PORT,
            description = "Port of the live view (carriers, scopes, /metrics, /threads) on --web-host; 0: none "
                    + "(default: ${DEFAULT-VALUE}).")
    int webPort;

    @Option(names = "--web-host", paramLabel = "HOST", defaultValue = Defaults.WEB_HOST, converter = HostConverter.class,
            description = "Address of the live view, independent of --host: its thread dump shows the server's "
                    + "insides, so it stays on loopback unless asked (default: ${DEFAULT-VALUE}).")
    String webHost;

    @Option(names = {"-q", "--quiet"}, description = "No per-subtask log lines.")
    boolean quiet;

    @Option(names = "--log-lines-per-second", paramLabel = "N", defaultValue = "" + Defaults.LOG_LINES_PER_SECOND,
            description = "Above this many request and subtask lines a second, the log folds the rest into one "
                    + "summary line a second (default: ${DEFAULT-VALUE}).")
    int logLinesPerSecond;

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

    /**
     * The flags, checked and gathered into settings.
     *
     * @throws IllegalArgumentException naming the flag whose value is out of range
     */
    public ServerSettings settings() {
        endpoint.check();
        // Each upper bound keeps a huge value from breaking the server later, far from the flag that caused it.
        Limits.check("--max-connections", maxConnections, 1, Limits.MAX_CONNECTIONS);
        Limits.check("--max-increments", maxIncrements, 0, Limits.MAX_INCREMENTS);
        Limits.check("--max-subtasks", maxSubtasks, 1, Limits.MAX_SUBTASKS);
        Limits.check("--max-line-bytes", maxLineBytes, 1, Limits.MAX_LINE_BYTES);
        Limits.check("--max-units", maxUnits, 1, Limits.MAX_UNITS);
        Limits.check("--unit-iterations", unitIterations, 0, Long.MAX_VALUE / maxUnits);
        Limits.check("--slice-iterations", sliceIterations, 1, Long.MAX_VALUE);
        Limits.check("--unit-millis", unitMillis.toMillis(), 0, Limits.MAX_UNIT_MILLIS);
        Limits.check("--web-port", webPort, 0, Limits.MAX_PORT);
        Limits.check("--log-lines-per-second", logLinesPerSecond, 1, Limits.MAX_LOG_LINES_PER_SECOND);
        WorkSettings workSettings = new WorkSettings(work, unitIterations, sliceIterations,
                unitMillis, maxUnits, seed == null ? OptionalLong.empty() : OptionalLong.of(seed));
        return new ServerSettings(endpoint.host, endpoint.port, maxConnections, maxIncrements, maxSubtasks,
                maxLineBytes, requestTimeout, idleTimeout, writeTimeout, shutdownGrace, workSettings, threads,
                fairness, webPort, webHost, quiet, logLinesPerSecond);
    }
}
