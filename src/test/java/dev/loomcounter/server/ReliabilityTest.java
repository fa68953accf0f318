package dev.loomcounter.server;

import static dev.loomcounter.testing.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loomcounter.testing.TestClient;
import dev.loomcounter.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What a client may rely on: nothing it sent is lost, a client that is gone is noticed at once, and no client, slow,
 * stuck or greedy, can hold the server's resources forever. Real sockets, real threads.
 */
class ReliabilityTest {

    /** Sleep work of an hour a unit: a request that runs until it is cancelled. */
    private static final String[] FOREVER = {"--work", "sleep", "--unit-millis", "3600000", "--max-units", "1"};

    @Test
    void aRequestFollowedByAHalfCloseIsStillAnswered() throws IOException {
        try (TestServer server = TestServer.start();
             TestClient client = server.connect()) {
            // printf '2 10\n' | nc -N: the request, then FIN at once.
            client.send("2 10\n").hangUp();
            assertThat(client.readLine()).isEqualTo("12");
            assertThat(client.readLine()).isNull();
        }
    }

    @Test
    void aLastLineWithoutLineEndIsServed() throws IOException {
        try (TestServer server = TestServer.start();
             TestClient client = server.connect()) {
            client.send("1 1\n7 3").hangUp();
            assertThat(client.readLine()).isEqualTo("2");
            assertThat(client.readLine()).isEqualTo("10");
            assertThat(client.readLine()).isNull();
        }
    }

    @Test
    void aResetIsNoticedEvenWithManyLinesQueuedBehindARunningRequest() throws IOException {
        try (TestServer server = TestServer.start(FOREVER)) {
            TestClient client = server.connect();
            client.send("0 2\n" + "0 1\n".repeat(200));
            await().atMost(PATIENCE).until(() -> server.subtasks().running() == 2);
            client.abort();
            await().atMost(PATIENCE).until(() -> server.subtasks().running() == 0 && server.openConnections() == 0);
            assertThat(server.subtasks().cancelled()).isEqualTo(2);
            assertThat(server.subtasks().completed()).isZero();
        }
    }

    @Test
    void aShutdownCancelsTheRequestOfAClientThatHasFinishedSending() throws IOException {
        TestServer server = TestServer.start("--work", "sleep", "--unit-millis", "3600000", "--max-units", "1",
                "--shutdown-grace", "100ms");
        try (TestClient client = server.connect()) {
            // After the FIN the connection's thread no longer reads: it waits in join() for the worker.
            client.send("0 3\n").hangUp();
            await().atMost(PATIENCE).until(() -> server.subtasks().running() == 3);
            server.close();
            assertThat(server.subtasks().cancelled()).isEqualTo(3);
            assertThat(client.readLine()).isNull();
        }
    }

    @Test
    void aRequestOverTheSubtaskBudgetIsRefusedAndTheConnectionStaysOpen() throws IOException {
        String[] flags = {"--work", "sleep", "--unit-millis", "3600000", "--max-units", "1", "--max-subtasks", "10"};
        try (TestServer server = TestServer.start(flags);
             TestClient greedy = server.connect();
             TestClient other = server.connect()) {
            greedy.send("0 10\n");
            await().atMost(PATIENCE).until(() -> server.subtasks().running() == 10);
            assertThat(other.ask("0 1")).isEqualTo(
                    "ERR overloaded the server already runs its maximum of 10 subtasks; try again later");
            assertThat(other.ask("0 0")).as("a request without subtasks still fits").isEqualTo("0");
            greedy.abort();
            await().atMost(PATIENCE).until(() -> server.subtasks().running() == 0);
            other.send("4 3\n");
            await("the budget is back").atMost(PATIENCE).until(() -> server.subtasks().running() == 3);
            other.abort();
        }
    }

    @Test
    void aClientThatDoesNotReadItsRepliesIsClosedAfterTheWriteTimeout() throws Exception {
        try (TestServer server = TestServer.start("--write-timeout", "300ms");
             Socket stuck = new Socket()) {
            // A small window: the server's replies fill it, and the client never reads them.
            stuck.setReceiveBufferSize(4_096);
            stuck.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            OutputStream out = stuck.getOutputStream();
            // Each bad line gets a reply thirty times its size; the writer stops when the server stops reading.
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                byte[] lines = "x\n".repeat(1_000).getBytes(StandardCharsets.US_ASCII);
                try {
                    while (true) {
                        out.write(lines);
                    }
                } catch (IOException e) {
                    // the server closed the connection
                }
            }, runnable -> Thread.ofVirtual().start(runnable));
            server.awaitLog("did not take its replies within 300ms: closing it");
            await().atMost(PATIENCE).until(() -> server.openConnections() == 0);
            server.awaitLog("closed: client did not read its replies in time");
            stuck.close();
            writing.get();
        }
    }

    @Test
    void aClientTricklingAnUnfinishedLineIsClosedAfterTheIdleTimeout() throws Exception {
        try (TestServer server = TestServer.start("--idle-timeout", "500ms");
             TestClient trickler = server.connect()) {
            CompletableFuture<Void> trickling = CompletableFuture.runAsync(() -> {
                try {
                    // A digit every 100 ms, never a line end: each byte is activity, but no line ever completes.
                    while (true) {
                        trickler.send("1");
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection
                }
            }, runnable -> Thread.ofVirtual().start(runnable));
            assertThat(trickler.readLine()).as("closed while the line was still unfinished").isNull();
            server.awaitLog("closed: idle for too long");
            trickler.abort();
            trickling.get();
        }
    }

    @Test
    void anAnswerStaysInOrderWhenRequestsArePipelinedBehindASlowOne() throws IOException {
        try (TestServer server = TestServer.start("--work", "sleep", "--unit-millis", "200", "--max-units", "1");
             TestClient client = server.connect()) {
            client.send("1 3\n0 0\nbad\n2 0\n");
            assertThat(client.readLine()).isEqualTo("4");
            assertThat(client.readLine()).isEqualTo("0");
            assertThat(client.readLine()).startsWith("ERR bad-request");
            assertThat(client.readLine()).isEqualTo("2");
        }
    }
}
