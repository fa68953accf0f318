package dev.loomcounter.client;

import dev.loomcounter.BuildVersion;
import dev.loomcounter.ExitCode;
import dev.loomcounter.ArgumentFiles;
import dev.loomcounter.client.console.ConsoleSession;
import dev.loomcounter.client.console.Transcript;
import dev.loomcounter.client.hold.HoldRun;
import dev.loomcounter.client.link.Dialer;
import dev.loomcounter.client.link.LinkException;
import dev.loomcounter.client.link.ServerAddress;
import dev.loomcounter.client.link.ServerLink;
import dev.loomcounter.client.load.IncrementRange;
import dev.loomcounter.client.load.LoadOutput;
import dev.loomcounter.client.load.LoadRun;
import dev.loomcounter.client.load.LoadSettings;
import dev.loomcounter.client.load.Threshold;
import dev.loomcounter.settings.Defaults;
import dev.loomcounter.settings.DurationConverter;
import dev.loomcounter.settings.Durations;
import dev.loomcounter.settings.ConnectOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loom-counter client}: a console session by default (interactive on a terminal, line by line from a pipe), a
 * load run with {@code --requests}, {@code --total} or {@code --duration}, a hold run with {@code --hold}. Each mode lives in its own
 * package ({@code console}, {@code load}, {@code hold}); all of them talk to the server through {@code link}.
 */
@Command(name = "client", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, sortOptions = false,
        abbreviateSynopsis = true,
        // The first line stands alone: the root help shows only it.
        description = {
                "Talks to the counting server: a console, a load run or a hold run.",
                "  console (default): one connection; type requests, or pipe them in",
                "  load (--requests M, --total N or --duration D): --clients connections,",
                "    answers checked; closed loop by default, open loop at a fixed total",
                "    rate with --rate R",
                "  hold (--hold D): --clients connections kept open for D; memory report"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                ExitCode.OK + ":every request answered, every answer right",
                ExitCode.FAILED + ":no server, a lost connection, a wrong answer, an ERR (piped: a bad line)",
                ExitCode.USAGE + ":a bad flag or value, or flags of two modes",
                ExitCode.THRESHOLD + ":load: every answer right, but a --threshold was crossed",
                ExitCode.INTERRUPTED + ":load: Ctrl-C; the summary (and --json) covers the part that ran"},
        footerHeading = "%n",
        footer = ArgumentFiles.HELP)
public final class ClientCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConnectOptions endpoint;

    @Option(names = {"-n", "--requests"}, paramLabel = "M",
            description = "Load mode: EACH connection sends M random requests and checks every answer "
                    + "(so -c 10 -n 100 makes 1,000; --total sets the sum).")
    Integer requests;

    @Option(names = "--total", paramLabel = "N",
            description = "Load mode: N requests in all, dealt out evenly over the connections (hey's -n, "
                    + "ghz's --total), instead of --requests M each.")
    Long total;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Load mode: send requests for this long (such as 30s) instead of --requests M.")
    Duration duration;

    @Option(names = "--hold", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Hold mode: keep the connections open this long (such as 30s), then check them again.")
    Duration hold;

    @Option(names = {"-c", "--clients"}, paramLabel = "N",
            description = "Load and hold modes: connections at once, each on its own virtual thread (default: 1).")
    Integer clients;

    @Option(names = "--increments", paramLabel = "MIN..MAX", converter = IncrementRange.Converter.class,
            description = "Load mode: each request's increments, drawn from this range (default: "
                    + Defaults.LOAD_MIN_INCREMENTS + ".." + Defaults.LOAD_MAX_INCREMENTS + ").")
    IncrementRange increments;

    @Option(names = "--seed", paramLabel = "S",
            description = "Load mode: seed the random requests, for repeatable runs (default: a fresh seed).")
    Long seed;

    @Option(names = "--rate", paramLabel = "R",
            description = "Load mode, open loop: R requests per second in all, spread over the --clients connections, "
                    + "each sent when due whether or not the earlier ones were answered; latency counts from the due "
                    + "time. Without it: closed loop, each connection waits for its answer.")
    Double rate;

    @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Load mode: first send requests for this long, checked but not measured (default: 0s).")
    Duration warmup;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Load mode: a request with no reply this long after its send counts as failed, and its "
                    + "connection is reset and ends (default: " + Defaults.LOAD_TIMEOUT + ").")
    Duration timeout;

    @Option(names = "--threshold", paramLabel = "LIMIT", converter = Threshold.Converter.class,
            description = "Load mode, repeatable: a limit checked at the end, such as p99<50ms, max<=1s, mean<5ms, "
                    + "errors<1%% (p50..p99.9, min, max, mean, stddev; <, <=, >, >=; us, ms, s or %%). One crossed: "
                    + "exit code " + ExitCode.THRESHOLD + ". An errors limit also lets ERR replies and timeouts "
                    + "within it pass.")
    List<Threshold> thresholds;

    @Option(names = "--json",
            description = "Load mode: print the result as one JSON object on stdout, nothing else there; "
                    + "the summary and progress go to stderr.")
    boolean json;

    @Option(names = "--histogram", paramLabel = "FILE",
            description = "Load mode: write the latency distribution to FILE (HdrHistogram .hgrm, milliseconds).")
    Path histogram;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "Load mode: draw latency over time and by percentile into FILE.png.")
    Path plot;

    @Option(names = "--timings",
            description = "Piped mode: also print each answer's round-trip time, on stderr.")
    boolean timings;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = Defaults.CONNECT_TIMEOUT,
            converter = DurationConverter.class,
            description = "Give up connecting after this long (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--bye-timeout", paramLabel = "DURATION", defaultValue = Defaults.BYE_TIMEOUT,
            converter = DurationConverter.class,
            description = "After STOP, wait this long for BYE before closing anyway (default: ${DEFAULT-VALUE}).")
    Duration byeTimeout;

    /** The three things a client can do. Sealed: {@link #call()} must handle each. */
    sealed interface Mode {
        record Console() implements Mode {
        }

        record Load(LoadSettings settings, LoadOutput output) implements Mode {
        }

        record Hold(int clients, Duration duration) implements Mode {
        }
    }

    /** The flags, checked together; a flag that makes no sense in the chosen mode is a usage error naming it. */
    Mode mode() {
        try {
            endpoint.check();
            boolean load = requests != null || total != null || duration != null;
            if (load && hold != null) {
                throw new IllegalArgumentException((requests != null ? "--requests" : total != null ? "--total"
                        : "--duration") + " (load) and --hold (hold) are two modes: pick one");
            }
            if (Stream.of(requests, total, duration).filter(Objects::nonNull).count() > 1) {
                throw new IllegalArgumentException(
                        "--requests M, --total N and --duration D each end a load run: pick one");
            }
            if (timings && (load || hold != null)) {
                throw new IllegalArgumentException("--timings only applies to the console client");
            }
            if (load) {
                if (plot != null && LoadOutput.plotUnavailable().isPresent()) {
                    throw new IllegalArgumentException(LoadOutput.plotUnavailable().get());
                }
                return new Mode.Load(new LoadSettings(clients == null ? 1 : clients,
                        requests != null ? new LoadSettings.Limit.Requests(requests)
                                : total != null ? new LoadSettings.Limit.Total(total)
                                : new LoadSettings.Limit.Time(duration),
                        rate == null ? new LoadSettings.Pacing.ClosedLoop() : new LoadSettings.Pacing.OpenLoop(rate),
                        warmup == null ? Duration.ZERO : warmup,
                        increments == null
                                ? new IncrementRange(Defaults.LOAD_MIN_INCREMENTS, Defaults.LOAD_MAX_INCREMENTS)
                                : increments,
                        seed == null ? OptionalLong.empty() : OptionalLong.of(seed),
                        timeout == null ? Durations.parse(Defaults.LOAD_TIMEOUT) : timeout,
                        thresholds == null ? List.of() : thresholds),
                        new LoadOutput(json, Optional.ofNullable(histogram), Optional.ofNullable(plot)));
            }
            Optional<String> loadOnly = Stream.of(Map.entry("--increments", increments != null),
                            Map.entry("--seed", seed != null), Map.entry("--rate", rate != null),
                            Map.entry("--warmup", warmup != null), Map.entry("--timeout", timeout != null),
                            Map.entry("--threshold", thresholds != null), Map.entry("--json", json),
                            Map.entry("--histogram", histogram != null), Map.entry("--plot", plot != null))
                    .filter(Map.Entry::getValue).map(Map.Entry::getKey).findFirst();
            if (loadOnly.isPresent()) {
                throw new IllegalArgumentException(
                        loadOnly.get() + " only applies to load mode (--requests M, --total N or --duration D)");
            }
            if (hold != null) {
                int connections = clients == null ? 1 : clients;
                if (connections < 1) {
                    throw new IllegalArgumentException("--clients must be 1 or more, got " + connections);
                }
                return new Mode.Hold(connections, hold);
            }
            if (clients != null) {
                throw new IllegalArgumentException(
                        "--clients needs a mode: --requests M, --total N or --duration D (load), or --hold DURATION");
            }
            return new Mode.Console();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Mode mode = mode();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Dialer dialer = new Dialer(new ServerAddress(endpoint.host, endpoint.port), connectTimeout, byeTimeout);
        return switch (mode) {
            case Mode.Console() -> runConsole(dialer, out, err);
            case Mode.Load(LoadSettings settings, LoadOutput output) -> new LoadRun(dialer, settings, output, out, err,
                    Terminals.errorAttached() ? Terminals.columns() : 0).run();
            case Mode.Hold(int connections, Duration duration) ->
                    new HoldRun(dialer, connections, duration, out).run();
        };
    }

    private int runConsole(Dialer dialer, PrintWriter out, PrintWriter err) throws InterruptedException {
        ServerLink link;
        try {
            link = dialer.open();
        } catch (LinkException e) {
            err.println(e.getMessage());
            return ExitCode.FAILED;
        }
        boolean terminal = Terminals.attached();
        Transcript transcript = terminal ? new Transcript.Interactive(out, err) : new Transcript.Piped(out, err, timings);
        ConsoleSession session = new ConsoleSession(link, stdin(), transcript);
        // Ctrl-C: the JVM runs its shutdown hooks while the main thread still waits for a line or a reply. The hook
        // resets the connection, so that the server cancels at once whatever this client still has running there.
        Thread ctrlC = Thread.ofPlatform().name("ctrl-c").unstarted(() -> {
            session.abort();
            transcript.bye();
            out.flush();
            // The session ended as a person asked; without halt, a JVM ended by SIGINT exits with 130.
            Runtime.getRuntime().halt(0);
        });
        Runtime.getRuntime().addShutdownHook(ctrlC);
        int exitCode = session.run();
        try {
            Runtime.getRuntime().removeShutdownHook(ctrlC);
        } catch (IllegalStateException e) {
            // Ctrl-C came just as the session ended: the hook is running and will end the process.
        }
        return exitCode;
    }

    /** Standard input in the terminal's own encoding ({@code stdin.encoding}, JDK 19+), or the platform's. */
    private static BufferedReader stdin() {
        String encoding = System.getProperty("stdin.encoding");
        Charset charset = encoding != null && Charset.isSupported(encoding) ? Charset.forName(encoding)
                : Charset.defaultCharset();
        return new BufferedReader(new InputStreamReader(System.in, charset));
    }
}
