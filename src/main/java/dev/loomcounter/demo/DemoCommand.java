package dev.loomcounter.demo;

import dev.loomcounter.BuildVersion;
import dev.loomcounter.ExitCode;
import dev.loomcounter.client.link.Answer;
import dev.loomcounter.client.link.Dialer;
import dev.loomcounter.client.link.ServerAddress;
import dev.loomcounter.client.link.ServerLink;
import dev.loomcounter.log.Log;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.server.CountingServer;
import dev.loomcounter.settings.Defaults;
import dev.loomcounter.settings.Durations;
import dev.loomcounter.settings.ServerOptions;
import dev.loomcounter.settings.ServerSettings;
import dev.loomcounter.settings.ThreadKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code loom-counter demo}: a server and three clients in one process, the three requests sent at the same moment,
 * so that the server's log shows their increments interleaved, each line naming its virtual thread and the carrier it
 * ran on at that moment.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Starts a server, sends three requests at the same moment from three clients, prints the "
                + "server's log and the answers, stops.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                ExitCode.OK + ":every client got its right answer",
                ExitCode.FAILED + ":the server could not start, or a client failed",
                ExitCode.USAGE + ":a bad flag"})
public final class DemoCommand implements Callable<Integer> {

    /** Three requests of different sizes, as three people might type them. */
    static final List<Request.Count> REQUESTS = List.of(
            new Request.Count(2, 10), new Request.Count(100, 5), new Request.Count(1_000, 8));

    /**
     * The demo's server, in the flags a person would type. Sleep work, 1 to 5 units of 10 ms a subtask: a sleeping
     * virtual thread unmounts from its carrier, so one increment often starts on one carrier and ends on another,
     * and the three requests take turns on the same few. Port 0: the system picks a free port, so the demo never
     * collides with a server already running; no live view, for the same reason. Every line of the log is printed:
     * the demo is for reading.
     */
    static final String[] SERVER_FLAGS = {"--port", "0", "--web-port", "0", "--max-connections", "10",
            "--max-increments", "100", "--request-timeout", "30s", "--idle-timeout", "1m", "--work", "sleep", "--unit-millis", "10",
            "--max-units", "5"};

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ServerSettings settings = ServerOptions.fromFlags(SERVER_FLAGS);
        List<String> answers;
        // The server stops first, then its log is written out to the end: the answers come after it.
        try (Log log = Log.to(out::println, false);
             CountingServer server = CountingServer.start(settings, log)) {
            Dialer dialer = new Dialer(new ServerAddress(Defaults.HOST, server.port()),
                    Durations.parse(Defaults.CONNECT_TIMEOUT), Durations.parse(Defaults.BYE_TIMEOUT));
            try {
                answers = sendTogether(dialer);
            } catch (StructuredTaskScope.FailedException e) {
                // One client failed, and the scope cancelled the other two: say what, in one line.
                spec.commandLine().getErr().println("demo failed: " + e.getCause().getMessage());
                return ExitCode.FAILED;
            }
        }
        out.println();
        answers.forEach(out::println);
        out.println();
        return ExitCode.OK;
    }

    /**
     * One virtual thread per client. Each connects, then waits at the barrier: the last to arrive fires the start gun,
     * and all three requests leave within microseconds of each other.
     */
    private static List<String> sendTogether(Dialer dialer) throws InterruptedException {
        CyclicBarrier startGun = new CyclicBarrier(REQUESTS.size());
        try (var scope = StructuredTaskScope.open(Joiner.<String>allSuccessfulOrThrow(),
                config -> config.withName("demo-clients").withThreadFactory(ThreadKind.VIRTUAL.factory("client-")))) {
            for (Request.Count request : REQUESTS) {
                scope.fork(() -> {
                    try (ServerLink link = dialer.open()) {
                        startGun.await();
                        Answer answer = link.ask(request);
                        link.stop();
                        return describe(request, answer);
                    }
                });
            }
            return scope.join().map(Subtask::get).toList();
        }
    }

    /** The answer in words; a wrong one or an error is a bug in the server, and fails the demo. */
    private static String describe(Request.Count request, Answer answer) {
        String sent = "client sent '" + request.start() + " " + request.increments() + "'";
        return switch (answer) {
            case Answer.Right right -> sent + ", got " + right.value() + " in " + right.roundTrip().toMillis() + " ms";
            case Answer.Wrong wrong -> throw new IllegalStateException(sent + ", got " + wrong.value()
                    + ", expected " + wrong.expected());
            case Answer.Refused refused -> throw new IllegalStateException(sent + ", got " + refused.error().toLine());
        };
    }
}
