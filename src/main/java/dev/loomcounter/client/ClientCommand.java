package dev.loomcounter.client;

import dev.loomcounter.settings.Defaults;
import dev.loomcounter.settings.DurationConverter;
import dev.loomcounter.settings.EndpointOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loom-counter client}: a console session by default (interactive on a terminal, line by line from a pipe), a
 * load run with {@code --requests}, a hold run with {@code --hold}.
 */
@Command(name = "client", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Talks to the counting server, in one of three modes:",
                "  console (default): one connection; type requests, or pipe them in",
                "  load (--requests M): --clients connections, M checked requests each",
                "  hold (--hold D): --clients connections kept open for D; memory report"})
public final class ClientCommand implements Callable<Integer> {

    /** Exit code of a run that failed: no server, a lost connection, a wrong answer, a failed request. */
    public static final int FAILED = 1;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    EndpointOptions endpoint;

    @Option(names = "--requests", paramLabel = "M",
            description = "Load mode: each connection sends M random requests and checks every answer.")
    Integer requests;

    @Option(names = "--hold", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Hold mode: keep the connections open this long, e.g. 30s, then check them again.")
    Duration hold;

    @Option(names = "--clients", paramLabel = "N",
            description = "Load and hold modes: connections at once, each on its own virtual thread (default: 1).")
    Integer clients;

    @Option(names = "--increments", paramLabel = "MIN..MAX", converter = IncrementRange.Converter.class,
            description = "Load mode: each request's increments, drawn from this range (default: "
                    + Defaults.LOAD_MIN_INCREMENTS + ".." + Defaults.LOAD_MAX_INCREMENTS + ").")
    IncrementRange increments;

    @Option(names = "--seed", paramLabel = "S",
            description = "Load mode: seed the random requests, for repeatable runs (default: a fresh seed).")
    Long seed;

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

        record Load(LoadSettings settings) implements Mode {
        }

        record Hold(int clients, Duration duration) implements Mode {
        }
    }

    /** The flags, checked together; a flag that makes no sense in the chosen mode is a usage error naming it. */
    Mode mode() {
        try {
            if (requests != null && hold != null) {
                throw new IllegalArgumentException("--requests (load) and --hold (hold) are two modes: pick one");
            }
            if (timings && (requests != null || hold != null)) {
                throw new IllegalArgumentException("--timings only applies to the console client");
            }
            if (requests != null) {
                return new Mode.Load(new LoadSettings(clients == null ? 1 : clients, requests,
                        increments == null
                                ? new IncrementRange(Defaults.LOAD_MIN_INCREMENTS, Defaults.LOAD_MAX_INCREMENTS)
                                : increments,
                        seed == null ? OptionalLong.empty() : OptionalLong.of(seed)));
            }
            if (increments != null || seed != null) {
                throw new IllegalArgumentException((increments != null ? "--increments" : "--seed")
                        + " only applies to load mode (--requests M)");
            }
            if (hold != null) {
                int connections = clients == null ? 1 : clients;
                if (connections < 1) {
                    throw new IllegalArgumentException("--clients must be 1 or more, got " + connections);
                }
                return new Mode.Hold(connections, hold);
            }
            if (clients != null) {
                throw new IllegalArgumentException("--clients needs a mode: --requests M (load) or --hold DURATION");
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
            case Mode.Load(LoadSettings settings) -> new LoadRun(dialer, settings, out, Terminals.attached()).run();
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
            return FAILED;
        }
        boolean terminal = Terminals.attached();
        Transcript transcript = terminal ? new Transcript.Interactive(out, err) : new Transcript.Piped(out, err, timings);
        ConsoleSession session = new ConsoleSession(link, stdin(), transcript);
        // Ctrl-C: the JVM runs its shutdown hooks while the main thread still waits for a line. The hook says STOP
        // and waits for BYE, so that the server cancels whatever this client still has running there.
        Thread ctrlC = Thread.ofPlatform().name("ctrl-c").unstarted(() -> {
            session.stopFromOutside();
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
