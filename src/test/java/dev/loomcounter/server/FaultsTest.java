package dev.loomcounter.server;

import static dev.loomcounter.testing.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loomcounter.counting.FailingCounters;
import dev.loomcounter.log.Log;
import dev.loomcounter.testing.ServerProcess;
import dev.loomcounter.testing.TestClient;
import dev.loomcounter.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the server's own and of its host: a request that fails inside, no file descriptor left for a new
 * connection, and the signals that stop a server process. The last three run a real server process.
 */
class FaultsTest {


    @Test
    void aFailedSubtaskIsAnsweredErrInternalTheLogSaysWhatFailedAndTheConnectionStaysUsable() throws IOException {
        List<String> lines = new CopyOnWriteArrayList<>();
        Log log = Log.to(lines::add, false);
        IllegalStateException failure = new IllegalStateException("a slice that breaks");
        try (CountingServer server = CountingServer.start(TestServer.settings(), log,
                () -> FailingCounters.firstSliceFails(failure, log));
             TestClient client = new TestClient(server.port())) {
            // The first request's one subtask is the slice that fails.
            assertThat(client.ask("1 1")).startsWith("ERR internal ").contains("a slice that breaks");
            assertThat(client.ask("1 1")).as("the same connection, the next request").isEqualTo("2");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(lines)
                    .anySatisfy(line -> assertThat(line).contains("conn-1/req-1 increment 1 failed after ")
                            .contains("a slice that breaks"))
                    .anySatisfy(line -> assertThat(line).contains("conn-1/req-1 failed: ")
                            .contains("a slice that breaks")));
        } finally {
            log.close();
        }
    }

    @Test
    void anAcceptWithoutAFreeFileDescriptorIsRetriedUntilOneIsFree(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--unit-iterations", "1000"))) {
            // One request first, so that whatever the server opens once is open before the limit: after it, a
            // connection costs the server exactly one descriptor. The JDK opens its socket pollers' descriptors when
            // a virtual thread first parks in a socket read, and a request already there when the connection's
            // thread reads parks nobody: so the request is sent only once that thread is parked in its read.
            try (TestClient warmUp = new TestClient(server.port())) {
                await().atMost(PATIENCE).until(() -> ServerProcess.stackOf(server.threadDump(dir), "conn-1").stream()
                        .anyMatch(frame -> frame.contains("sun.nio.ch.Poller.poll")));
                assertThat(warmUp.ask("1 1")).isEqualTo("2");
            }
            server.awaitLog("conn-1 closed");
            int room = 3;
            prlimit(server.pid(), server.openFiles() + room);
            List<TestClient> clients = new ArrayList<>();
            try {
                // The kernel completes these connections whether or not the server can accept them.
                for (int i = 0; i < room + 3; i++) {
                    clients.add(new TestClient(server.port()));
                }
                server.awaitLog(line -> line.contains("accept failed: ") && line.contains("Too many open files")
                        && line.contains("retrying in 10 ms"));
                server.awaitLog("retrying in 20 ms");
            } finally {
                for (TestClient client : clients) {
                    client.close();
                }
            }
            // The connections it had close at the clients' end of stream, and free their descriptors.
            try (TestClient late = new TestClient(server.port())) {
                assertThat(late.ask("2 3")).isEqualTo("5");
            }
            assertThat(server.isAlive()).isTrue();
        }
    }

    @Test
    void aSecondCtrlCExitsAtOnceWithoutWaitingForTheGracePeriod() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--work", "sleep", "--unit-millis", "3600000",
                "--max-units", "1", "--shutdown-grace", "10m"));
             TestClient client = new TestClient(server.port())) {
            client.send("0 1\n");
            // The subtask runs: the request is past the point where a shutdown would refuse it.
            server.awaitLog("conn-1/req-1 increment 1 starts");
            server.signal("INT");
            server.awaitLog("waiting up to 10m for 1 running requests");
            server.signal("INT");
            // Within ServerProcess.PATIENCE, where the grace period would be ten minutes.
            assertThat(server.awaitExit()).as("128 + SIGINT's number").isEqualTo(130);
            assertThat(server.log()).contains("second INT: exiting without waiting")
                    .noneSatisfy(line -> assertThat(line).contains("server stopped"));
        }
    }

    @Test
    void aSigtermRightAfterTheListeningLineStopsTheServerInOrderWithExitCode0() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of())) {
            // start() returns as soon as the server has said where it listens.
            server.signal("TERM");
            assertThat(server.awaitExit()).isZero();
            assertThat(server.log()).anySatisfy(line -> assertThat(line).endsWith(" server stopped"))
                    .noneSatisfy(line -> assertThat(line).containsIgnoringCase("exception"));
        }
    }

    /** Lowers the running process's limit of open files, as {@code ulimit -n} would have before it started. */
    private static void prlimit(long pid, int openFiles) throws IOException, InterruptedException {
        Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid),
                "--nofile=" + openFiles + ":" + openFiles).inheritIO().start();
        assertThat(prlimit.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(prlimit.exitValue()).isZero();
    }
}
