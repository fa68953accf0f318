package dev.loomcounter.server;

import dev.loomcounter.BuildVersion;
import dev.loomcounter.ExitCode;
import dev.loomcounter.log.Log;
import dev.loomcounter.settings.ServerOptions;
import dev.loomcounter.settings.ServerSettings;
import java.io.IOException;
import java.net.BindException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * Runs on the main thread until the server stops: {@code loom-counter server}, its flags ({@link ServerOptions}), the
 * signals, and the exit code.
 */
@Command(name = "server", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, sortOptions = false,
        abbreviateSynopsis = true,
        description = "Runs the counting server until Ctrl-C or SIGTERM.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                ExitCode.OK + ":stopped in order by Ctrl-C or SIGTERM",
                ExitCode.FAILED + ":could not listen (e.g. the address is taken), or stopped on its own",
                ExitCode.USAGE + ":a bad flag or value",
                ServerCommand.SECOND_SIGINT + ":a second Ctrl-C while draining: halted at once",
                ServerCommand.SECOND_SIGTERM + ":a second SIGTERM while draining: halted at once"})
public final class ServerCommand implements Callable<Integer> {

    /** A second signal halts with the code a shell gives a process killed by it: 128 + the signal's number. */
    static final int SECOND_SIGINT = 128 + 2;
    static final int SECOND_SIGTERM = 128 + 15;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ServerOptions options;

    /** Hidden from the help: a person has no use for it; ./mvnw exec:exec@server passes it. */
    @Option(names = "--exit-with-parent", hidden = true,
            description = "Stop when the parent process ends (used by ./mvnw exec:exec@server, so that stopping "
                    + "Maven stops the server).")
    boolean exitWithParent;

    @Override
    public Integer call() throws InterruptedException {
        ServerSettings settings;
        try {
            settings = options.settings();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Log log = Log.to(System.out, settings.quiet(), settings.logLinesPerSecond());
        // Before the server listens: a Ctrl-C or SIGTERM that comes as soon as a client can see the listening line
        // must already find both the handlers and the hook that stops the server in order.
        AtomicBoolean signalled = new AtomicBoolean();
        installSignalHandlers(signalled);
        CompletableFuture<CountingServer> started = new CompletableFuture<>();
        // However the JVM ends (System.exit, the last thread), the server first stops in order, then the log drains.
        // A signal may come while the server starts: the hook waits until it has started, or failed to (null).
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
            CountingServer running = started.join();
            if (running != null) {
                running.close();
            }
            log.close();
        }));
        CountingServer server = null;
        try {
            server = CountingServer.start(settings, log);
        } catch (BindException e) {
            log.close();
            spec.commandLine().getErr().println("cannot listen on " + settings.host() + ":" + settings.port()
                    + ": address already in use");
            return ExitCode.FAILED;
        } catch (IOException e) {
            log.close();
            spec.commandLine().getErr().println("cannot listen on " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage());
            return ExitCode.FAILED;
        } finally {
            started.complete(server);
        }
        if (exitWithParent) {
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
        }
        server.awaitTermination();
        // Only a signal (or the parent's end) stops the server in order; a server that stopped by itself failed.
        return signalled.get() ? ExitCode.OK : ExitCode.FAILED;
    }

    /**
     * Ctrl-C and SIGTERM: a JVM killed by a signal runs its shutdown hooks, then exits with 128 + the signal's number.
     * Handling the two signals turns the first into System.exit(0): the same orderly stop through the shutdown hook,
     * every other hook too (a JFR recording gets written), and the exit code says it went well. A second signal while
     * the server drains means "now": halt at once. sun.misc.Signal is in the jdk.unsupported module: not a standard
     * API, but the JDK keeps it for this use.
     */
    private static void installSignalHandlers(AtomicBoolean signalled) {
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), signal -> {
                if (signalled.compareAndSet(false, true)) {
                    // System.exit blocks until the hooks have run: not on the signal's own thread.
                    Thread.ofPlatform().name("exit").start(() -> System.exit(0));
                } else {
                    System.err.println("second " + signal.getName() + ": exiting without waiting");
                    Runtime.getRuntime().halt(128 + signal.getNumber());
                }
            });
        }
    }
}
