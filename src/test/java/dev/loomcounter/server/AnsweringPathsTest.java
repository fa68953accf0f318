package dev.loomcounter.server;

import static dev.loomcounter.testing.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loomcounter.counting.GatedCounter;
import dev.loomcounter.counting.SubtaskGauge;
import dev.loomcounter.live.OpenScopes;
import dev.loomcounter.live.Recorder;
import dev.loomcounter.log.Log;
import dev.loomcounter.settings.ServerSettings;
import dev.loomcounter.testing.TestClient;
import dev.loomcounter.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The two threads that answer a request, named in each test: the connection's own thread, for a brief request
 * ({@link FastPath}), and a worker, for any other ({@link Handoff}). Each test holds its first request at a gate
 * ({@link GatedCounter}) and looks at who owns that request's scope before it lets the request go: {@code conn-1}
 * itself, or {@code conn-1/worker-1}. No test waits on a clock.
 */
class AnsweringPathsTest {

    /** The largest request the connection's own thread answers, with the gated work. */
    private static final int BRIEF = GatedCounter.BRIEF_INCREMENTS;
    /** The smallest request a worker answers. */
    private static final int NOT_BRIEF = BRIEF + 1;
    /** Lines of a kilobyte, padded with leading blanks: many bytes in few requests. */
    private static final int PADDED_LINE_BYTES = 1_000;

    @Test
    void pipelinedLinesAreAnsweredInOrderOnTheConnectionsThread() throws Exception {
        // While it answers, the connection's thread does not read: the lines behind wait in the socket.
        assertAnsweredInOrder("conn-1", "0 1\n1 2\n2 " + BRIEF + "\n3 0\n4 1\n",
                "1", "3", Integer.toString(2 + BRIEF), "3", "5");
    }

    @Test
    void pipelinedLinesAreAnsweredInOrderByAWorker() throws Exception {
        // Brief lines behind a worker's request are queued for that worker, not answered ahead of it.
        assertAnsweredInOrder("conn-1/worker-1",
                "0 " + NOT_BRIEF + "\n1 2\n2 " + BRIEF + "\n3 0\n4 " + NOT_BRIEF + "\n",
                Integer.toString(NOT_BRIEF), "3", Integer.toString(2 + BRIEF), "3", Integer.toString(4 + NOT_BRIEF));
    }

    @Test
    void stopIsAnsweredInOrderOnTheConnectionsThread() throws Exception {
        // BYE after the lines before STOP, then the end of the stream (null): '1 1' is not served.
        assertAnsweredInOrder("conn-1", "0 1\n5 3\nSTOP\n1 1\n", "1", "8", "BYE", null);
    }

    @Test
    void stopIsAnsweredInOrderByAWorker() throws Exception {
        assertAnsweredInOrder("conn-1/worker-1", "0 " + NOT_BRIEF + "\n5 3\nSTOP\n1 1\n",
                Integer.toString(NOT_BRIEF), "8", "BYE", null);
    }

    /**
     * Sends {@code lines} in one write, checks that {@code owner} answers the first of them (held at the gate), lets
     * it go, and reads {@code answers} in this order; a null answer is the end of the stream.
     */
    private static void assertAnsweredInOrder(String owner, String lines, String... answers) throws Exception {
        try (GatedServer server = new GatedServer();
             TestClient client = server.connect()) {
            client.send(lines);
            server.assertFirstRequestOwnedBy(owner);
            server.gate.open();
            for (String answer : answers) {
                assertThat(client.readLine()).isEqualTo(answer);
            }
        }
    }

    /** The connection's thread reads while its worker counts: it sees the reset, and the request is cancelled. */
    @Test
    void aResetCancelsTheRequestOfAWorker() throws Exception {
        try (GatedServer server = new GatedServer()) {
            TestClient client = server.connect();
            client.send("0 " + NOT_BRIEF + "\n");
            server.assertFirstRequestOwnedBy("conn-1/worker-1");
            await().atMost(PATIENCE).until(() -> server.subtasks().running() == NOT_BRIEF);
            client.abort();
            await().atMost(PATIENCE).until(() -> server.subtasks().running() == 0 && server.openConnections() == 0);
            assertThat(server.subtasks().cancelled()).isEqualTo(NOT_BRIEF);
            assertThat(server.subtasks().completed()).isZero();
            server.awaitLog("conn-1 closed: client hung up after 0 requests");
        }
    }

    /**
     * A brief request is not watched for a reset: it is over within a millisecond anyway, and its thread is the
     * reader. The reset is seen just after, when the reply is written or the next line read, and ends the connection.
     */
    @Test
    void aResetEndsTheConnectionOnceTheConnectionsThreadHasAnsweredItsBriefRequest() throws Exception {
        try (GatedServer server = new GatedServer()) {
            TestClient client = server.connect();
            client.send("0 1\n");
            server.assertFirstRequestOwnedBy("conn-1");
            client.abort();
            server.gate.open();
            await().atMost(PATIENCE).until(() -> server.openConnections() == 0);
            assertThat(server.subtasks().completed()).as("the brief request ran to its end").isEqualTo(1);
            assertThat(server.subtasks().cancelled()).isZero();
            server.awaitLog("conn-1 closed: client hung up after 1 requests");
        }
    }

    /**
     * Back-pressure: far more lines than the read-ahead behind a worker's request, from a client that does not read.
     * The reader stops once {@link Handoff#READ_AHEAD} requests wait (so the server holds no more than that), TCP
     * then stops the client's writes, and once the request is let go every answer comes, in order.
     */
    @Test
    void aClientPipeliningPastTheReadAheadIsStoppedAndThenAnsweredInOrder() throws Exception {
        // More bytes than the kernel can hold for the connection on both sides, and many more lines than the
        // read-ahead: if the server stopped reading, the client cannot have written them all.
        long buffered = maxSocketBuffer("tcp_rmem") + maxSocketBuffer("tcp_wmem") + (2L << 20);
        int count = (int) (buffered / PADDED_LINE_BYTES) + Handoff.READ_AHEAD;
        try (GatedServer server = new GatedServer("--quiet");
             TestClient client = server.connect()) {
            client.send("0 " + NOT_BRIEF + "\n");
            server.assertFirstRequestOwnedBy("conn-1/worker-1");
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    for (int first = 0; first < count; first += 64) {
                        StringBuilder lines = new StringBuilder();
                        for (int i = first; i < Math.min(count, first + 64); i++) {
                            lines.append(padded(i + " 0"));
                        }
                        client.send(lines.toString());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable));

            await("the reader waits for room in the read-ahead").atMost(PATIENCE)
                    .until(() -> OpenScopes.stackOf(server.live(), "conn-1"),
                            stack -> stack.contains(Handoff.class.getName() + ".offer")
                                    && stack.stream().anyMatch(frame -> frame.endsWith("ConditionObject.await")));
            assertThat(writing).as("the client's writes wait for a server that no longer reads").isNotDone();

            server.gate.open();
            assertThat(client.readLine()).isEqualTo(Integer.toString(NOT_BRIEF));
            for (int i = 0; i < count; i++) {
                assertThat(client.readLine()).isEqualTo(Integer.toString(i));
            }
            writing.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static String padded(String line) {
        return " ".repeat(PADDED_LINE_BYTES - 1 - line.length()) + line + "\n";
    }

    /** The most the kernel may buffer for one socket: the third value of /proc/sys/net/ipv4/tcp_rmem or tcp_wmem. */
    private static long maxSocketBuffer(String sysctl) throws IOException {
        // readAllLines, not readString: on this JDK, readString of a /proc file (whose size reads 0) returns one byte.
        String values = Files.readAllLines(Path.of("/proc/sys/net/ipv4", sysctl)).getFirst();
        return Long.parseLong(values.strip().split("\\s+")[2]);
    }

    /** A server counting with a {@link GatedCounter}: a request stays in flight until the test opens the gate. */
    private static final class GatedServer implements AutoCloseable {

        private final Queue<String> lines = new ConcurrentLinkedQueue<>();
        private final Log log;
        private final GatedCounter gate;
        private final CountingServer server;

        /** With {@link TestServer#TEST_FLAGS}, then {@code flags}; every log line kept. */
        GatedServer(String... flags) throws IOException {
            ServerSettings settings = TestServer.settings(flags);
            log = Log.to(lines::add, settings.quiet());
            gate = new GatedCounter(log);
            try {
                server = CountingServer.start(settings, log, gate::counter);
            } catch (IOException | RuntimeException e) {
                gate.counter().close();
                log.close();
                throw e;
            }
        }

        TestClient connect() throws IOException {
            return TestClient.connect(server.port());
        }

        /** Waits until the first request is held at the gate, and checks which thread owns its scope. */
        void assertFirstRequestOwnedBy(String thread) throws InterruptedException {
            gate.awaitHeld();
            Map<String, String> owners = OpenScopes.owners(server.live());
            assertThat(owners).as("open scopes and their owners").containsEntry("conn-1/req-1", thread);
        }

        Recorder live() {
            return server.live();
        }

        SubtaskGauge subtasks() {
            return server.subtasks();
        }

        int openConnections() {
            return server.openConnections();
        }

        void awaitLog(String fragment) {
            await().atMost(PATIENCE).until(() -> lines.stream().anyMatch(line -> line.contains(fragment)));
        }

        /** Opens the gate first, so that nothing waits at it while the server stops. */
        @Override
        public void close() {
            gate.open();
            try {
                server.close();
            } finally {
                log.close();
            }
        }
    }
}
