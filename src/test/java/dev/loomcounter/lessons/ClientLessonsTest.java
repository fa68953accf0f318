package dev.loomcounter.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.cli.Main;
import dev.loomcounter.testing.Cli;
import dev.loomcounter.testing.ServerProcess;
import dev.loomcounter.testing.TestClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lessons 1, 6 and 8: the demo, the load client against the four servers of lesson 6, and held connections against
 * virtual and platform threads. The servers run as in the lessons, as their own processes; the clients run in this
 * JVM through {@link Main#commandLine}, with the lessons' flags but smaller sizes.
 */
class ClientLessonsTest {

    private static Cli.Run run(String... args) {
        return Cli.run(args);
    }

    private static String client(String args) {
        return LessonsDoc.shows("./mvnw -q compile exec:exec@client -Dargs=\"" + args + "\"");
    }

    @Test
    void lesson1TheDemoAnswersThreeClientsAtOnce() {
        LessonsDoc.shows("./mvnw -q compile exec:exec@demo");
        LessonsDoc.shows("./mvnw -q compile exec:exec@client\n");
        Cli.Run demo = run("demo");
        assertThat(demo.exitCode()).as(demo.err()).isZero();
        assertThat(demo.out()).contains(LessonsDoc.shows("client sent '2 10', got 12 in "),
                LessonsDoc.shows("client sent '100 5', got 105 in "),
                LessonsDoc.shows("client sent '1000 8', got 1008 in "), LessonsDoc.shows("server stopped"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--quiet --work sleep --max-units 1", "--quiet --work sleep --max-units 1 --threads platform",
            "--quiet --work spin --max-units 1 --fairness off",
            "--quiet --work spin --max-units 1 --fairness off --threads platform"})
    void lesson6TheLoadClientVerifiesEveryAnswerOfEachServer(String serverArgs) throws Exception {
        client("--clients 100 --requests 10 --increments 0..4");
        client("--clients 1000 --requests 10 --increments 0..4");
        try (ServerProcess server = ServerProcess.start(LessonsDoc.serverArgs(serverArgs))) {
            Cli.Run load = run("client", "--port", Integer.toString(server.port()), "--clients", "4", "--requests", "3",
                    "--increments", "0..4");
            assertThat(load.exitCode()).as(load.out() + load.err()).isZero();
            assertThat(load.out()).contains("4 connections x 3 requests (increments 0..4)",
                    "requests ok:          12 of 12", LessonsDoc.shows("throughput:"), "all answers verified");
        }
    }

    @Test
    void lesson8VirtualConnectionsCostNoOperatingSystemThreads() throws Exception {
        assertThat(heldThreads("--quiet --max-connections 10000")).isLessThan(100);
    }

    @Test
    void lesson8PlatformConnectionsAreOneOperatingSystemThreadEach() throws Exception {
        assertThat(heldThreads("--quiet --max-connections 10000 --threads platform")).isGreaterThanOrEqualTo(100);
    }

    @Test
    void lesson8TheHoldClientHoldsAndReleasesEveryConnection() throws Exception {
        client("--clients 10000 --hold 30s");
        client("--clients 2000 --hold 30s");
        try (ServerProcess server = ServerProcess.start(LessonsDoc.serverArgs("--quiet --max-connections 10000"))) {
            Cli.Run hold = run("client", "--port", Integer.toString(server.port()), "--clients", "50", "--hold", "1s");
            assertThat(hold.exitCode()).as(hold.out() + hold.err()).isZero();
            assertThat(hold.out()).contains("50 of 50 connections open and answering after",
                    "held 50 of 50 connections for 1s; 50 still answered after it");
        }
    }

    /** Opens 100 connections to a lesson-8 server, each answered, and returns {@code ps -o nlwp=} of the server. */
    private static int heldThreads(String serverArgs) throws Exception {
        try (ServerProcess server = ServerProcess.start(LessonsDoc.serverArgs(serverArgs))) {
            List<TestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    TestClient client = TestClient.connect(server.port());
                    clients.add(client);
                    assertThat(client.ask("0 0")).isEqualTo("0");
                }
                assertThat(Integer.parseInt(ps(LessonsDoc.shows("rss="), server.pid()))).isPositive();
                return Integer.parseInt(ps(LessonsDoc.shows("nlwp="), server.pid()));
            } finally {
                for (TestClient client : clients) {
                    client.close();
                }
            }
        }
    }

    /** {@code ps -o <column> -p <pid>}, as lesson 8 runs it. */
    private static String ps(String column, long pid) throws Exception {
        LessonsDoc.shows("ps -o " + column + " -p \"$PID\"");
        Process ps = new ProcessBuilder("ps", "-o", column, "-p", Long.toString(pid)).start();
        String output = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(ps.waitFor(ServerProcess.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(ps.exitValue()).isZero();
        return output;
    }
}
