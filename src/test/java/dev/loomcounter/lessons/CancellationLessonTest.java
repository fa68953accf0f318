package dev.loomcounter.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.testing.ServerProcess;
import dev.loomcounter.testing.TestClient;
import org.junit.jupiter.api.Test;

/**
 * Lessons 3 and 5: the ways a request is cancelled (and STOP, which is not one), and what the log says about each. The log lines checked
 * here are the ones the lessons quote.
 */
class CancellationLessonTest {

    /** Lesson 4's server: every increment sleeps a minute, so a request is still running when it is cancelled. */
    private static final String LONG_REQUESTS = "--work sleep --unit-millis 60000 --max-units 1";
    /** Lesson 3's server: every increment sleeps 3 s, a request may take 1 s. */
    private static final String TIMEOUT = "--work sleep --unit-millis 3000 --max-units 1 --request-timeout 1s";

    @Test
    void aResetAndCtrlCOnTheServerCancelTheRequestInFlightWhileStopIsAnsweredInOrder() throws Exception {
        try (ServerProcess server = ServerProcess.start(LessonsDoc.serverArgs(LONG_REQUESTS))) {
            // The client goes away mid-request (a reset, as a client that is interrupted sends): the connection's
            // thread, parked in its read, sees it at once.
            try (TestClient client = TestClient.connect(server.port())) {
                client.send("0 3\n");
                server.awaitLogs("conn-1/req-1 increment", 3);
                client.abort();
            }
            assertThat(server.awaitLogs("cancelled after", 3))
                    .allSatisfy(line -> assertThat(line).contains("conn-1/req-1 increment"));
            server.awaitLog(LessonsDoc.shows("conn-1 closed: client hung up after 0 requests (0 open)"));

            // STOP is answered in order, after the requests before it; on an idle connection, at once.
            try (TestClient client = TestClient.connect(server.port())) {
                assertThat(client.ask(LessonsDoc.shows("STOP"))).isEqualTo("BYE");
            }
            server.awaitLog(LessonsDoc.shows("conn-2 closed: client sent STOP after 0 requests (0 open)"));

            // Ctrl-C on the server mid-request: a grace period, then the request is cancelled, and exit code 0.
            try (TestClient client = TestClient.connect(server.port())) {
                client.send("0 3\n");
                server.awaitLogs("conn-3/req-1 increment", 3);
                server.signal("INT");
                assertThat(client.readLine()).as("closed without an answer").isNull();
            }
            assertThat(server.awaitExit()).isZero();
            server.awaitLog(LessonsDoc.shows("shutting down: no new connections or requests"));
            server.awaitLog(LessonsDoc.shows("waiting up to 2s for 1 running requests"));
            server.awaitLog(LessonsDoc.shows("grace period over: cancelling 1 running requests"));
            server.awaitLog(LessonsDoc.shows("conn-3 closed: server shutting down after 0 requests (0 open)"));
            server.awaitLog(LessonsDoc.shows("server stopped"));
        }
    }

    @Test
    void aTimeoutCancelsTheSubtasksAndKeepsTheConnection() throws Exception {
        try (ServerProcess server = ServerProcess.start(LessonsDoc.serverArgs(TIMEOUT));
             TestClient client = TestClient.connect(server.port())) {
            assertThat(client.ask(LessonsDoc.shows("0 5")))
                    .isEqualTo(LessonsDoc.shows("ERR timeout the request took longer than 1s; its subtasks were cancelled"));
            assertThat(server.awaitLogs("cancelled after", 5))
                    .allSatisfy(line -> assertThat(line).contains("conn-1/req-1 increment"));
            server.awaitLog(LessonsDoc.shows("conn-1/req-1 timed out after 1s; its subtasks were cancelled"));
            // A request without increments forks nothing and is answered at once, on the same connection.
            assertThat(client.ask(LessonsDoc.shows("0 0"))).isEqualTo("0");
        }
    }
}
