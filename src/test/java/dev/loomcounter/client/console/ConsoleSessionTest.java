package dev.loomcounter.client.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loomcounter.ExitCode;
import dev.loomcounter.client.link.Dialer;
import dev.loomcounter.client.link.ServerAddress;
import dev.loomcounter.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The console client, driven through its input against a real server on a free port. */
public class ConsoleSessionTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void interactiveSessionAnswersChecksLinesLocallyAndEndsAtEndOfInput() throws Exception {
        try (TestServer server = TestServer.start()) {
            int exitCode = interactive(server, "2 10\nhello\n\n5 3\n").run();

            assertThat(exitCode).isZero();
            assertThat(out.toString())
                    .startsWith("Connected to the counting server at 127.0.0.1:" + server.port() + ".\n"
                            + Transcript.Interactive.PROMPT + "\n2 + 10 = 12   (round trip ")
                    .contains("Not sent: expected two integers '<start> <increments>' or STOP, got 'hello'. "
                            + "For example: 2 10")
                    .contains("5 + 3 = 8   (round trip ")
                    .endsWith(Transcript.Interactive.PROMPT + "\nBye.\n");
            assertThat(err.toString()).isEmpty();
            // Ctrl-D (end of input) says STOP, like the STOP line would; "hello" never reached the server.
            await().atMost(10, TimeUnit.SECONDS).until(() -> server.log().stream()
                    .anyMatch(line -> line.contains("conn-1 closed: client sent STOP after 2 requests")));
        }
    }

    @Test
    void serverErrorIsShownAndTheSessionGoesOn() throws Exception {
        try (TestServer server = TestServer.start("--max-connections", "10", "--max-increments", "5")) {
            int exitCode = interactive(server, "1 9\n1 1\n").run();

            assertThat(exitCode).isZero();
            assertThat(out.toString())
                    .contains("The server says: at most 5 increments per request, got 9 (too-many-increments)")
                    .contains("1 + 1 = 2");
        }
    }

    @Test
    void stopEndsTheSessionAndLaterLinesAreNotSent() throws Exception {
        try (TestServer server = TestServer.start()) {
            int exitCode = interactive(server, "1 1\nStop\n2 2\n").run();

            assertThat(exitCode).isZero();
            assertThat(out.toString()).contains("1 + 1 = 2").doesNotContain("2 + 2").endsWith("Bye.\n");
        }
    }

    @Test
    void pipedSessionPrintsOneAnswerPerLineAndNothingElse() throws Exception {
        try (TestServer server = TestServer.start()) {
            int exitCode = piped(server, "2 10\n5 3\n").run();

            assertThat(exitCode).isZero();
            assertThat(out.toString()).isEqualTo("12\n8\n");
            assertThat(err.toString()).isEmpty();
        }
    }

    @Test
    void pipedSessionWithTimingsKeepsStdoutCleanAndTimesEachAnswerOnStderr() throws Exception {
        try (TestServer server = TestServer.start()) {
            int exitCode = piped(server, "2 10\n5 3\n", true).run();

            assertThat(exitCode).isZero();
            assertThat(out.toString()).isEqualTo("12\n8\n");
            assertThat(err.toString().lines()).hasSize(2)
                    .satisfiesExactly(first -> assertThat(first).matches("2 10 -> 12 in [0-9.,]+ (ms|s)"),
                            second -> assertThat(second).matches("5 3 -> 8 in [0-9.,]+ (ms|s)"));
        }
    }

    @Test
    void pipedSessionReportsFailedLinesOnStderrAndFails() throws Exception {
        try (TestServer server = TestServer.start("--max-connections", "10", "--max-increments", "5")) {
            int exitCode = piped(server, "2 3\nfoo\n1 9\n5 3\n").run();

            assertThat(exitCode).isEqualTo(ExitCode.FAILED);
            assertThat(out.toString()).isEqualTo("5\n8\n");
            assertThat(err.toString()).isEqualTo(
                    "line 2: not sent: expected two integers '<start> <increments>' or STOP, got 'foo'\n"
                            + "line 3: ERR too-many-increments at most 5 increments per request, got 9\n");
        }
    }

    /**
     * STOP typed while a request runs is no cancel: the server answers STOP in order, so the request's answer comes
     * first, then BYE. Only a reset cancels (next test).
     */
    @Test
    void stopWhileARequestRunsComesAfterItsAnswer() throws Exception {
        // A second of sleep per unit: STOP is typed while the request certainly still runs.
        try (TestServer server = sleepingServer(1_000);
             PipedOutputStream keyboard = new PipedOutputStream()) {
            Typed typed = typeALongRequest(server, keyboard);

            type(keyboard, "STOP\n");

            assertThat(typed.exitCode().get(10, TimeUnit.SECONDS)).isZero();
            assertThat(out.toString()).contains("1 + 2 = 3").endsWith("Bye.\n");
            await().atMost(10, TimeUnit.SECONDS).until(() -> server.log().stream()
                    .anyMatch(line -> line.contains("conn-1 closed: client sent STOP after 1 requests")));
            assertThat(server.log()).noneMatch(line -> line.contains("cancelled"));
            assertThat(err.toString()).isEmpty();
        }
    }

    /**
     * Ctrl-C while a request runs: the client resets the connection (linger 0), and the server, reading the reset as
     * "the client is gone", cancels the request at once.
     */
    @Test
    void abortResetsTheConnectionAndTheServerCancelsTheRunningRequest() throws Exception {
        // Ten seconds of sleep per unit: the request is certainly still running when the reset arrives.
        try (TestServer server = sleepingServer(10_000);
             PipedOutputStream keyboard = new PipedOutputStream()) {
            Typed typed = typeALongRequest(server, keyboard);

            typed.session().abort();

            // The session's thread, blocked in the read of the reply, wakes up and ends quietly with 0.
            assertThat(typed.exitCode().get(10, TimeUnit.SECONDS)).isZero();
            await().atMost(10, TimeUnit.SECONDS).until(() -> server.log().stream()
                    .anyMatch(line -> line.contains("conn-1/req-1 increment 1 cancelled")));
            assertThat(server.log()).noneMatch(line -> line.contains("client sent STOP"));
            assertThat(out.toString()).doesNotContain("1 + 2");
            assertThat(err.toString()).isEmpty();
        }
    }

    /** A session running on its own thread, and the exit code it will end with. */
    private record Typed(ConsoleSession session, CompletableFuture<Integer> exitCode) {
    }

    /** A server whose every increment sleeps one unit of {@code unitMillis}. */
    private static TestServer sleepingServer(long unitMillis) throws IOException {
        return TestServer.start("--max-connections", "10", "--max-increments", "10", "--work", "sleep",
                "--unit-millis", "" + unitMillis, "--max-units", "1");
    }

    /** Starts an interactive session reading {@code keyboard}, types {@code 1 2}, returns once the server runs it. */
    private Typed typeALongRequest(TestServer server, PipedOutputStream keyboard) throws Exception {
        BufferedReader input = new BufferedReader(
                new InputStreamReader(new PipedInputStream(keyboard), StandardCharsets.UTF_8));
        ConsoleSession session = new ConsoleSession(dialer(server).open(), input,
                new Transcript.Interactive(writer(out), writer(err)));
        CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(session::run,
                runnable -> Thread.ofVirtual().start(runnable));
        type(keyboard, "1 2\n");
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.log().stream()
                .anyMatch(line -> line.contains("conn-1/req-1 increment 2 starts")));
        return new Typed(session, exitCode);
    }

    private static void type(PipedOutputStream keyboard, String text) throws IOException {
        keyboard.write(text.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** A server that reads one request and hangs up: one line on stderr, naming the address, and exit code 1. */
    @Test
    void serverGoneMidSessionIsOneLineAndFails() throws Exception {
        try (ServerSocket hangsUp = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket socket = hangsUp.accept()) {
                    socket.getInputStream().read();
                } catch (IOException e) {
                    // the test is over
                }
            });
            ServerAddress address = new ServerAddress("127.0.0.1", hangsUp.getLocalPort());
            Dialer dialer = new Dialer(address, Duration.ofSeconds(5), Duration.ofSeconds(5));
            ConsoleSession session = new ConsoleSession(dialer.open(), reader("1 2\n3 4\n"),
                    new Transcript.Interactive(writer(out), writer(err)));

            int exitCode = session.run();

            assertThat(exitCode).isEqualTo(ExitCode.FAILED);
            assertThat(err.toString()).isEqualTo("the server at " + address + " closed the connection\n");
        }
    }

    private static Dialer dialer(TestServer server) {
        return new Dialer(new ServerAddress("127.0.0.1", server.port()), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    private ConsoleSession interactive(TestServer server, String input) throws Exception {
        return new ConsoleSession(dialer(server).open(), reader(input),
                new Transcript.Interactive(writer(out), writer(err)));
    }

    private ConsoleSession piped(TestServer server, String input) throws Exception {
        return piped(server, input, false);
    }

    private ConsoleSession piped(TestServer server, String input, boolean timings) throws Exception {
        return new ConsoleSession(dialer(server).open(), reader(input),
                new Transcript.Piped(writer(out), writer(err), timings));
    }

    private static BufferedReader reader(String input) {
        return new BufferedReader(new StringReader(input));
    }

    public static PrintWriter writer(StringWriter target) {
        return new PrintWriter(target, true);
    }
}
