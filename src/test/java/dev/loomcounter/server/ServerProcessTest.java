package dev.loomcounter.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
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

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    private record Outcome(int exitCode, String out, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Outcome(exitCode, out.toString(), err.toString());
    }

    @Test
    void helpListsEveryFlagWithItsDefault() {
        Outcome help = run("server", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--host", "127.0.0.1", "--port", "7007", "--max-connections", "1000",
                "--max-increments", "10000", "--max-line-bytes", "1024", "--request-timeout", "5m",
                "--idle-timeout", "10m", "--shutdown-grace", "2s", "--work", "spin", "--unit-iterations", "8000000",
                "--unit-millis", "--max-units", "--seed", "--threads", "virtual", "--quiet", "--exit-with-parent");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--bogus|Unknown option: '--bogus'",
            "--port 70000|port must be 0 to 65535, got 70000",
            "--port seven|'seven' is not an int",
            "--threads green|expected one of [VIRTUAL, PLATFORM] (case-insensitive) but was 'green'",
            "--work dance|expected one of [SPIN, SLEEP] (case-insensitive) but was 'dance'",
            "--fairness maybe|expected one of [ON, OFF] (case-insensitive) but was 'maybe'",
            "--request-timeout 5|'5' is not a duration",
            "--max-units 0|max units must be 1 or more, got 0",
            "--max-connections -1|max connections must be 1 or more, got -1",
    })
    void aBadFlagGetsOneLineNamingItAndExitCode2(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("server"));
        args.addAll(List.of(flags.split(" ")));
        Outcome outcome = run(args.toArray(String[]::new));
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err().lines()).hasSize(1).first().asString().contains(message).contains("--help");
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void sigtermStopsTheServerInOrderWithExitCode0() throws Exception {
        // The same JDK and classpath as this test: Surefire's class path holds the server's classes and picocli.
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process server = new ProcessBuilder(java, "--enable-preview", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "server", "--port", "0", "--unit-iterations", "1000")
                .redirectErrorStream(true)
                .start();
        try (BufferedReader log = new BufferedReader(
                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            int port = awaitPort(log);
            try (TestClient client = new TestClient(port)) {
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
