package dev.loomcounter.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.ExitCode;
import dev.loomcounter.testing.Cli;
import dev.loomcounter.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code loom-counter client ...} as a user runs it: flags in, text and an exit code out, real sockets. */
class ClientCommandTest {

    @Test
    void noServerIsOneLineNamingTheAddressAndExitCodeOne() throws IOException {
        int port = freePort();

        Cli.Run run = client("--port", "" + port);

        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(
                "cannot connect to 127.0.0.1:" + port + ": connection refused (is the server running?)\n");
    }

    @Test
    void loadRunVerifiesEveryAnswerOfARealServer() throws IOException {
        try (TestServer server = TestServer.start()) {
            Cli.Run run = client("--port", "" + server.port(), "--clients", "4", "--requests", "25",
                    "--increments", "0..10", "--seed", "7");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out())
                    .startsWith("4 connections x 25 requests (increments 0..10, seed 7) to 127.0.0.1:" + server.port())
                    .contains("requests ok:          100 of 100\n", "wrong answers:        0\n",
                            "ERR replies:          0\n", "connection failures:  0\n", "latency:              p50 ")
                    .endsWith("all answers verified\n");
            // Progress goes to stderr, never to stdout; on a slow machine a plain progress line may be there.
            assertThat(run.err().lines()).allMatch(line -> line.startsWith("progress: "));
        }
    }

    @Test
    void loadRunCatchesEveryWrongAnswer() throws IOException {
        try (WrongServer server = new WrongServer()) {
            Cli.Run run = client("--port", "" + server.port(), "--clients", "3", "--requests", "10");

            assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
            assertThat(run.out())
                    .contains("requests ok:          0 of 30\n", "wrong answers:        30\n",
                            "first problem:        wrong answer: sent '")
                    .endsWith("FAILED: not every request got its right answer\n");
        }
    }

    @Test
    void loadRunCountsErrorRepliesByCode() throws IOException {
        try (TestServer server = TestServer.start("--max-connections", "10", "--max-increments", "3")) {
            Cli.Run run = client("--port", "" + server.port(), "--requests", "5", "--increments", "4..4");

            assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
            assertThat(run.out()).contains("ERR replies:          5 (too-many-increments 5)\n");
        }
    }

    @Test
    void holdKeepsEveryConnectionOpenAndReportsMemory() throws IOException {
        try (TestServer server = TestServer.start()) {
            Cli.Run run = client("--port", "" + server.port(), "--clients", "5", "--hold", "100ms");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out())
                    .contains("5 of 5 connections open and answering after ", "client memory: RSS ", "heap used ")
                    .endsWith("held 5 of 5 connections for 100ms; 5 still answered after it\n");
        }
    }

    @Test
    void holdReportsTheConnectionsTheServerRefused() throws IOException {
        try (TestServer server = TestServer.start("--max-connections", "3", "--max-increments", "10")) {
            Cli.Run run = client("--port", "" + server.port(), "--clients", "5", "--hold", "100ms");

            assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
            assertThat(run.out())
                    .contains("held 3 of 5 connections for 100ms; 3 still answered after it\n")
                    .contains("2 failed; the first: the server at 127.0.0.1:" + server.port()
                            + " answered '0 0' with ERR busy");
        }
    }

    @Test
    void flagsOfTwoModesAreAUsageError() {
        assertThat(Stream.of(client("--requests", "3", "--hold", "1s"), client("--clients", "3"),
                client("--hold", "1s", "--seed", "3"), client("--requests", "3", "--increments", "5..2")))
                .allSatisfy(run -> assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE))
                .allSatisfy(run -> assertThat(run.out()).isEmpty())
                .map(Cli.Run::err).containsExactly(
                "client: --requests (load) and --hold (hold) are two modes: pick one (see loom-counter client --help)\n",
                "client: --clients needs a mode: --requests M, --total N or --duration D (load), "
                        + "or --hold DURATION (see loom-counter client --help)\n",
                "client: --seed only applies to load mode (--requests M, --total N or --duration D) "
                        + "(see loom-counter client --help)\n",
                "client: Invalid value for option '--increments': increments must be MIN..MAX with 0 <= MIN <= MAX, "
                        + "got 5..2 (see loom-counter client --help)\n");
    }

    @Test
    void shortOptionsAreTheLongOnes() throws IOException {
        try (TestServer server = TestServer.start()) {
            Cli.Run run = client("-p", "" + server.port(), "-c", "2", "-n", "3", "--seed", "7");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).startsWith("2 connections x 3 requests (increments 0..10, seed 7) to 127.0.0.1:"
                    + server.port()).contains("requests ok:          6 of 6\n");
        }
    }

    private static Cli.Run client(String... flags) {
        return Cli.run(Stream.concat(Stream.of("client"), Stream.of(flags)).toArray(String[]::new));
    }

    /** A port nobody listens on: bound by the system, then released. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
