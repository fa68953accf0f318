package dev.loomcounter.server;

import static dev.loomcounter.testing.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loomcounter.settings.ThreadKind;
import dev.loomcounter.testing.TestClient;
import dev.loomcounter.testing.TestServer;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The wire protocol and the server's behaviour, over real sockets, in both thread kinds. */
class CountingServerTest {

    /**
     * Requests on each of a hundred connections: enough to interleave them all, few enough that a platform thread per
     * subtask finishes well within the test's timeout on a loaded two-core machine.
     */
    private static final int REQUESTS_EACH = 10;

    private static String threads(ThreadKind kind) {
        return kind.name().toLowerCase();
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void countsAndSaysByeOnStop(ThreadKind kind) throws IOException {
        try (TestServer server = TestServer.start("--threads", threads(kind));
             TestClient client = new TestClient(server.port())) {
            assertThat(client.ask("2 10")).isEqualTo("12");
            assertThat(client.ask("-5 3")).isEqualTo("-2");
            assertThat(client.ask("0 0")).isEqualTo("0");
            assertThat(client.ask("  +4\t\t 6  \r")).isEqualTo("10");
            assertThat(client.ask("9223372036854775800 7")).isEqualTo("9223372036854775807");
            assertThat(client.ask("-9223372036854775808 1")).isEqualTo("-9223372036854775807");
            assertThat(client.ask(" sToP ")).isEqualTo("BYE");
            assertThat(client.readLine()).as("closed after BYE").isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void answersEachBadLineWithItsErrorAndKeepsServing(ThreadKind kind) throws IOException {
        try (TestServer server = TestServer.start("--threads", threads(kind), "--max-increments", "50");
             TestClient client = new TestClient(server.port())) {
            assertThat(client.ask("")).startsWith("ERR bad-request ");
            assertThat(client.ask("hello")).startsWith("ERR bad-request ");
            assertThat(client.ask("1 2 3")).startsWith("ERR bad-request ");
            assertThat(client.ask("1.5 2")).startsWith("ERR bad-request ");
            assertThat(client.ask("٣ 2")).startsWith("ERR bad-request ");
            assertThat(client.ask("99999999999999999999 1")).startsWith("ERR bad-request ");
            client.sendBytes(new byte[] {(byte) 0xc3, (byte) 0x28, ' ', '1', '\n'});
            assertThat(client.readLine()).isEqualTo("ERR bad-request the line is not valid UTF-8");
            assertThat(client.ask("1 -2")).startsWith("ERR negative-increments ");
            assertThat(client.ask("1 51")).isEqualTo("ERR too-many-increments at most 50 increments per request, got 51");
            assertThat(client.ask("9223372036854775807 1")).startsWith("ERR overflow ");
            assertThat(client.ask("1 50")).as("still serving").isEqualTo("51");
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void answersPipelinedLinesInOrder(ThreadKind kind) throws IOException {
        try (TestServer server = TestServer.start("--threads", threads(kind));
             TestClient client = new TestClient(server.port())) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                lines.append(i).append(' ').append(i % 7).append('\n');
            }
            lines.append("oops\n");
            client.send(lines.toString());
            for (int i = 0; i < 200; i++) {
                assertThat(client.readLine()).isEqualTo(Long.toString(i + i % 7));
            }
            assertThat(client.readLine()).startsWith("ERR bad-request");
        }
    }

    /**
     * With this server's work, up to 100 increments is a brief request, which the connection's own thread answers;
     * a longer one goes to a worker. Pipelined, the two kinds take turns, and every answer still comes in order.
     */
    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void answersBriefAndLongerRequestsInTheOrderTheyCame(ThreadKind kind) throws IOException {
        try (TestServer server = TestServer.start("--threads", threads(kind));
             TestClient client = new TestClient(server.port())) {
            assertThat(client.ask("0 0")).isEqualTo("0");
            assertThat(client.ask("1 150")).as("a worker, after the connection's thread answered").isEqualTo("151");
            client.send("1 2\n0 150\n3 4\n0 0\n5 101\n6 1\n0 100\nSTOP\n");
            for (String answer : List.of("3", "150", "7", "0", "106", "7", "100", "BYE")) {
                assertThat(client.readLine()).isEqualTo(answer);
            }
            assertThat(client.readLine()).as("closed after BYE").isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void assemblesARequestSplitAcrossWrites(ThreadKind kind) throws IOException {
        try (TestServer server = TestServer.start("--threads", threads(kind));
             TestClient client = new TestClient(server.port())) {
            client.send("1").send("2 ").send("3").send("4\r").send("\n");
            assertThat(client.readLine()).isEqualTo("46");
            // A multi-byte character split between two writes is still one valid character: a bad request, not bad UTF-8.
            client.sendBytes(new byte[] {'1', ' ', (byte) 0xc3}).sendBytes(new byte[] {(byte) 0xa9, '\n'});
            assertThat(client.readLine()).startsWith("ERR bad-request expected two integers");
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void closesTheConnectionAfterALineTooLongButAnswersTheLinesBeforeIt(ThreadKind kind) throws IOException {
        try (TestServer server = TestServer.start("--threads", threads(kind), "--max-line-bytes", "16");
             TestClient client = new TestClient(server.port())) {
            assertThat(client.ask("12345678901 1234\r")).as("16 bytes and a CR fit").isEqualTo("12345680135");
            client.send("1 1\n" + "7".repeat(10_000) + " 1\n2 2\n");
            assertThat(client.readLine()).isEqualTo("2");
            assertThat(client.readLine()).isEqualTo("ERR line-too-long a line may be at most 16 bytes");
            assertThat(client.readLine()).as("closed").isNull();
            await().atMost(PATIENCE).until(() -> server.openConnections() == 0);
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void refusesOneConnectionTooManyWithBusy(ThreadKind kind) throws IOException {
        try (TestServer server = TestServer.start("--threads", threads(kind), "--max-connections", "2");
             TestClient first = new TestClient(server.port());
             TestClient second = new TestClient(server.port())) {
            // An answer on each proves both are accepted and counted before the third one knocks.
            assertThat(first.ask("1 1")).isEqualTo("2");
            assertThat(second.ask("2 2")).isEqualTo("4");
            try (TestClient third = new TestClient(server.port())) {
                assertThat(third.readLine()).isEqualTo(
                        "ERR busy the server already serves its maximum of 2 connections; try again later");
                assertThat(third.readLine()).isNull();
            }
            assertThat(first.ask("STOP")).isEqualTo("BYE");
            await().atMost(PATIENCE).until(() -> server.openConnections() == 1);
            try (TestClient fourth = new TestClient(server.port())) {
                assertThat(fourth.ask("3 3")).as("a freed place is usable again").isEqualTo("6");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void servesAHundredConcurrentConnectionsExactly(ThreadKind kind) throws Exception {
        try (TestServer server = TestServer.start("--threads", threads(kind), "--unit-iterations", "100");
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> answered = new ArrayList<>();
            for (int c = 0; c < 100; c++) {
                long seed = c;
                answered.add(clients.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    try (TestClient client = new TestClient(server.port())) {
                        for (int r = 0; r < REQUESTS_EACH; r++) {
                            int increments = random.nextInt(0, 21);
                            long start = random.nextLong(Long.MIN_VALUE, Long.MAX_VALUE - increments);
                            assertThat(client.ask(start + " " + increments))
                                    .isEqualTo(Long.toString(start + increments));
                        }
                        assertThat(client.ask("STOP")).isEqualTo("BYE");
                        return REQUESTS_EACH;
                    }
                }));
            }
            int total = 0;
            for (Future<Integer> future : answered) {
                total += future.get();
            }
            assertThat(total).isEqualTo(100 * REQUESTS_EACH);
            await().atMost(PATIENCE).until(() -> server.openConnections() == 0);
            assertThat(server.subtasks().running()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void cancelsTheRequestsSubtasksWhenTheConnectionIsReset(ThreadKind kind) throws IOException {
        try (TestServer server = TestServer.start("--threads", threads(kind), "--work", "sleep",
                "--unit-millis", "3600000")) {
            TestClient client = new TestClient(server.port());
            client.send("0 25\n");
            await().atMost(PATIENCE).until(() -> server.subtasks().running() == 25);
            client.abort();
            await().atMost(PATIENCE).until(() -> server.subtasks().running() == 0 && server.openConnections() == 0);
            assertThat(server.subtasks().cancelled()).isEqualTo(25);
            assertThat(server.subtasks().completed()).isZero();
            assertNoServerThreadsLeft(kind);
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void stopsSpinningSubtasksWhenTheConnectionIsReset(ThreadKind kind) throws IOException {
        try (TestServer server = TestServer.start("--threads", threads(kind),
                "--unit-iterations", Long.toString(Long.MAX_VALUE / 100))) {
            TestClient client = new TestClient(server.port());
            // One spinning subtask: it holds one of the two carriers, and the connection's reader needs the other
            // to notice the reset. (More spinning subtasks than carriers starve the reader: see FairnessTest.)
            client.send("0 1\n");
            await().atMost(PATIENCE).until(() -> server.subtasks().running() == 1);
            client.abort();
            // The busy loop looked at its interrupt status, or it would spin for years.
            await().atMost(PATIENCE).until(() -> server.subtasks().running() == 0 && server.openConnections() == 0);
            assertThat(server.subtasks().cancelled()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void stopIsAnsweredInOrderAndTheLinesAfterItAreNotServed(ThreadKind kind) throws IOException {
        try (TestServer server = TestServer.start("--threads", threads(kind));
             TestClient client = new TestClient(server.port())) {
            client.send("2 10\n5 3\nSTOP\n1 1\n");
            assertThat(client.readLine()).isEqualTo("12");
            assertThat(client.readLine()).isEqualTo("8");
            assertThat(client.readLine()).isEqualTo("BYE");
            assertThat(client.readLine()).as("closed after BYE; '1 1' not served").isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void answersTimeoutCancelsTheSubtasksAndKeepsTheConnection(ThreadKind kind) throws IOException {
        try (TestServer server = TestServer.start("--threads", threads(kind), "--work", "sleep",
                "--unit-millis", "3600000", "--request-timeout", "300ms");
             TestClient client = new TestClient(server.port())) {
            assertThat(client.ask("0 12")).isEqualTo(
                    "ERR timeout the request took longer than 300ms; its subtasks were cancelled");
            assertThat(server.subtasks().running()).isZero();
            assertThat(server.subtasks().cancelled()).isEqualTo(12);
            assertThat(client.ask("5 0")).as("the connection is kept").isEqualTo("5");
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void closesAnIdleConnectionButNotOneWaitingForItsAnswer(ThreadKind kind) throws IOException {
        try (TestServer server = TestServer.start("--threads", threads(kind), "--idle-timeout", "300ms",
                "--work", "sleep", "--unit-millis", "1000", "--max-units", "1");
             TestClient busy = new TestClient(server.port());
             TestClient idle = new TestClient(server.port())) {
            assertThat(busy.ask("0 1")).as("a request longer than the idle timeout").isEqualTo("1");
            assertThat(idle.readLine()).as("closed for idleness").isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void shutsDownGracefullyRefusingNewRequestsAndConnections(ThreadKind kind) throws Exception {
        TestServer server = TestServer.start("--threads", threads(kind), "--work", "sleep",
                "--unit-millis", "4000", "--max-units", "1", "--shutdown-grace", "1m");
        try (TestClient running = new TestClient(server.port());
             TestClient idle = new TestClient(server.port())) {
            assertThat(idle.ask("1 1")).isEqualTo("2");
            running.send("0 1\n");
            await().atMost(PATIENCE).until(() -> server.subtasks().running() == 1);

            CompletableFuture<Void> closed = CompletableFuture.runAsync(server::close);
            await().atMost(PATIENCE).until(server::isShuttingDown);
            assertThat(idle.ask("1 1")).isEqualTo("ERR shutting-down the server is stopping and takes no new requests");
            assertThatThrownBy(() -> new TestClient(server.port()).close()).isInstanceOf(ConnectException.class);

            assertThat(running.readLine()).as("the running request finished within the grace period").isEqualTo("1");
            closed.get();
            assertThat(running.readLine()).isNull();
            assertThat(idle.readLine()).isNull();
            assertThat(server.openConnections()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void cancelsRequestsThatOutlastTheGracePeriod(ThreadKind kind) throws IOException {
        TestServer server = TestServer.start("--threads", threads(kind), "--work", "sleep",
                "--unit-millis", "3600000", "--shutdown-grace", "200ms");
        try (TestClient client = new TestClient(server.port())) {
            client.send("0 8\n");
            await().atMost(PATIENCE).until(() -> server.subtasks().running() == 8);
            server.close();
            assertThat(server.subtasks().running()).isZero();
            assertThat(server.subtasks().cancelled()).isEqualTo(8);
            assertThat(server.openConnections()).isZero();
            assertThat(client.readLine()).isNull();
            assertNoServerThreadsLeft(kind);
        }
    }

    /** Platform threads are visible to getAllStackTraces(); after a connection ends, none of its threads may remain. */
    private static void assertNoServerThreadsLeft(ThreadKind kind) {
        if (kind == ThreadKind.PLATFORM) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                    .extracting(Thread::getName)
                    .noneMatch(name -> name.startsWith("conn-")));
        }
    }
}
