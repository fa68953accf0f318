package dev.loomcounter.server;

import dev.loomcounter.live.LiveServer;
import dev.loomcounter.log.Log;
import dev.loomcounter.settings.Defaults;
import dev.loomcounter.settings.DurationConverter;
import dev.loomcounter.settings.EndpointOptions;
import dev.loomcounter.settings.Fairness;
import dev.loomcounter.settings.ServerSettings;
import dev.loomcounter.settings.ThreadKind;
import dev.loomcounter.settings.WorkKind;
import dev.loomcounter.settings.WorkSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import sun.misc.Signal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loom-counter server}: the flags, each with its default from {@link Defaults}. */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the counting server until Ctrl-C or SIGTERM.")
public final class ServerCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    EndpointOptions endpoint;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + Defaults.MAX_CONNECTIONS,
            description = "Connections served at once; one more gets ERR busy (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-increments", paramLabel = "N", defaultValue = "" + Defaults.MAX_INCREMENTS,
            description = "Increments (subtasks) allowed in one request (default: ${DEFAULT-VALUE}).")
    int maxIncrements;

    @Option(names = "--max-line-bytes", paramLabel = "BYTES", defaultValue = "" + Defaults.MAX_LINE_BYTES,
            description = "Longest request line; a longer one gets ERR line-too-long and the connection is closed "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxLineBytes;

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = Defaults.REQUEST_TIMEOUT,
            converter = DurationConverter.class,
            description = "Cancel a request running longer and answer ERR timeout, e.g. 500ms, 30s, 2m "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = Defaults.IDLE_TIMEOUT,
            converter = DurationConverter.class,
            description = "Close a connection without requests for this long (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = Defaults.SHUTDOWN_GRACE,
            converter = DurationConverter.class,
            description = "On shutdown, how long running requests may finish before they are cancelled "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    @Option(names = "--work", paramLabel = "spin|sleep", defaultValue = Defaults.WORK,
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

    @Option(names = "--unit-millis", paramLabel = "MS", defaultValue = "" + Defaults.UNIT_MILLIS,
            description = "Milliseconds in one unit of sleep work (default: ${DEFAULT-VALUE}).")
    long unitMillis;

    @Option(names = "--max-units", paramLabel = "N", defaultValue = "" + Defaults.MAX_UNITS,
            description = "Each subtask draws 1 to N units of work (default: ${DEFAULT-VALUE}).")
    int maxUnits;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed the draws of units, for repeatable runs (default: a fresh seed).")
    Long seed;

    @Option(names = "--threads", paramLabel = "virtual|platform", defaultValue = Defaults.THREADS,
            description = "Thread kind for connections and subtasks alike (default: ${DEFAULT-VALUE}).")
    ThreadKind threads;

    @Option(names = "--fairness", paramLabel = "on|off", defaultValue = Defaults.FAIRNESS,
            description = "on: spin slices run on a pool of one platform thread per core, round-robin by request, so "
                    + "no client starves; off: each subtask spins on its own thread (default: ${DEFAULT-VALUE}).")
    Fairness fairness;

    @Option(names = "--web-port", paramLabel = "PORT", defaultValue = "7080",
            description = "Port of the live view (carriers, scopes, /metrics, /threads) on --host; 0: none "
                    + "(default: ${DEFAULT-VALUE}).")
    int webPort;

    @Option(names = "--quiet", description = "No per-subtask log lines.")
    boolean quiet;

    @Option(names = "--exit-with-parent",
            description = "Stop when the parent process ends (used by ./mvnw exec:exec@server, so that stopping "
                    + "Maven stops the server).")
    boolean exitWithParent;

    /** The flags, checked and gathered into settings; a bad value is a usage error naming its flag. */
    ServerSettings settings() {
        try {
            if (webPort < 0 || webPort > 65_535) {
                throw new IllegalArgumentException("--web-port must be 0 to 65535, got " + webPort);
            }
            if (unitMillis < 0) {
                throw new IllegalArgumentException("--unit-millis must be 0 or more, got " + unitMillis);
            }
            WorkSettings workSettings = new WorkSettings(work, unitIterations, sliceIterations,
                    Duration.ofMillis(unitMillis),
                    maxUnits, seed == null ? OptionalLong.empty() : OptionalLong.of(seed));
            return new ServerSettings(endpoint.host, endpoint.port, maxConnections, maxIncrements, maxLineBytes,
                    requestTimeout, idleTimeout, shutdownGrace, workSettings, threads, fairness, quiet);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        ServerSettings settings = settings();
        Log log = Log.to(System.out, settings.quiet());
        CountingServer server = CountingServer.start(settings, log);
        Optional<LiveServer> view = webPort == 0 ? Optional.empty()
                : LiveServer.startBeside(server.live(), settings.host(), webPort, log);
        // However the JVM ends (System.exit, the last thread), the server first stops in order.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
            view.ifPresent(LiveServer::close);
            server.close();
        }));
        // Ctrl-C and SIGTERM: a JVM killed by a signal runs its shutdown hooks, then exits with 128 + the signal's
        // number. Handling the two signals turns them into System.exit(0): the same orderly stop through the hook
        // above, every other hook too (a JFR recording gets written), and the exit code says it went well.
        // sun.misc.Signal is in the jdk.unsupported module: not a standard API, but the JDK keeps it for this use.
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), signal -> System.exit(0));
        }
        if (exitWithParent) {
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
        }
        server.awaitTermination();
        return 0;
    }
}
