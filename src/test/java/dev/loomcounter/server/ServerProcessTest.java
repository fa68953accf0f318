package dev.loomcounter.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.cli.Main;
import dev.loomcounter.testing.Cli;
import dev.loomcounter.testing.TestClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server as a user runs it: flags, help, a real JVM process, and Ctrl-C / SIGTERM. */
class ServerProcessTest {

    /** The same JDK and classpath as this test: Surefire's class path holds the server's classes and picocli. */
    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");


    @Test
    void helpListsEveryFlagWithItsDefault() {
        Cli.Run help = Cli.run("server", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--host", "127.0.0.1", "--port", "7007", "--max-connections", "1000",
                "--max-increments", "10000", "--max-line-bytes", "1024", "--request-timeout", "5m",
                "--idle-timeout", "10m", "--shutdown-grace", "2s", "--work", "spin", "--unit-iterations", "8000000",
                "--unit-millis", "--max-units", "--seed", "--threads", "virtual", "--quiet");
    }

    @ParameterizedTest(name = "{0}")
    // The messages quote with ', CSV's default quote: here " quotes, and ' is text.
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "--bogus|Unknown option: '--bogus'",
            "--port 70000|port must be 0 to 65535, got 70000",
            "--port seven|'seven' is not an int",
            "--threads green|expected one of virtual, platform, got 'green'",
            "--work dance|expected one of spin, sleep, got 'dance'",
            "--fairness maybe|expected one of on, off, got 'maybe'",
            "--request-timeout 5|'5' is not a duration",
            "--max-units 0|--max-units must be 1 to 1000000, got 0",
            "--max-connections -1|--max-connections must be 1 to 1000000, got -1",
            "--max-line-bytes 2000000000|--max-line-bytes must be 1 to 1048576, got 2000000000",
            "--max-increments 2000000000|--max-increments must be 0 to 1000000, got 2000000000",
            "--max-subtasks 0|--max-subtasks must be 1 to 10000000, got 0",
            "--unit-iterations 9223372036854775807|--unit-iterations must be 0 to 922337203685477580, got",
            "--write-timeout 0s|write timeout must be longer than zero",
    })
    void aBadFlagGetsOneLineNamingItAndExitCode2(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("server"));
        args.addAll(List.of(flags.split(" ")));
        Cli.Run outcome = Cli.run(args.toArray(String[]::new));
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err().lines()).hasSize(1).first().asString().contains(message).contains("--help");
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void sigtermStopsTheServerInOrderWithExitCode0() throws Exception {
        Process server = new ProcessBuilder(JAVA, "--enable-preview", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "server", "--port", "0", "--web-port", "0", "--unit-iterations", "1000")
                .redirectErrorStream(true)
                .start();
        try (BufferedReader log = new BufferedReader(
                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            int port = awaitPort(log);
            try (TestClient client = TestClient.connect(port)) {
                assertThat(client.ask("2 10")).isEqualTo("12");
                // SIGTERM, as `kill PID` sends. (Process.destroy() would also close our end of its output.)
                server.toHandle().destroy();
                assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(client.readLine()).as("connection closed by the shutdown").isNull();
            }
            assertThat(server.exitValue()).isZero();
            List<String> rest = log.lines().toList();
            assertThat(rest).anySatisfy(line -> assertThat(line).contains("shutting down"))
                    .anySatisfy(line -> assertThat(line).contains("server stopped"));
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void aPortInUseIsOneLineAndExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Process server = new ProcessBuilder(JAVA, "--enable-preview", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "server", "--port", Integer.toString(taken.getLocalPort()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                String err = new String(server.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("no thread left running").isTrue();
                assertThat(server.exitValue()).isEqualTo(1);
                assertThat(err).isEqualTo("cannot listen on 127.0.0.1:" + taken.getLocalPort()
                        + ": address already in use\n");
            } finally {
                server.destroyForcibly();
            }
        }
    }

    private static int awaitPort(BufferedReader log) throws IOException {
        String line;
        while ((line = log.readLine()) != null) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new AssertionError("the server exited without saying where it listens");
    }
}
