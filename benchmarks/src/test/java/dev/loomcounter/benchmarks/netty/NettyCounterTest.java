package dev.loomcounter.benchmarks.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each Netty peer answers the protocol as the load generator expects: real sockets on a real server (in this JVM,
 * on its epoll loops), then the load generator itself when it is there.
 */
@Timeout(60)
class NettyCounterTest {

    /** The load generator beside the repository, as benchmarks/peers.sh finds it (PEERS overrides). */
    private static final Path LOAD = Path.of(System.getenv().getOrDefault("PEERS",
            Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/peers").toString()), "load");

    private static NettyCounter.Running server(String shape, long unitIterations) throws InterruptedException {
        return NettyCounter.start(NettyCounter.Options.parse("--shape", shape, "--port", "0",
                "--unit-iterations", Long.toString(unitIterations)));
    }

    /** Sends the lines at once (pipelined), then reads every answer up to the server's close. */
    private static List<String> exchange(int port, String lines) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(lines.getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> answers = new ArrayList<>();
            for (String answer; (answer = in.readLine()) != null; ) {
                answers.add(answer);
            }
            return answers;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "fanout"})
    void answersACountThenByeAndCloses(String shape) throws Exception {
        try (var server = server(shape, 1)) {
            assertThat(exchange(server.port(), "2 10\nSTOP\n")).containsExactly("12", "BYE");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "fanout"})
    void answersPipelinedLinesInOrderAndNothingAfterStop(String shape) throws Exception {
        try (var server = server(shape, 1000)) {
            assertThat(exchange(server.port(), "2 10\n5 3\n-9223372036854775808 0\n1 1000\n0 0\r\nstop\n7 7\n"))
                    .containsExactly("12", "8", "-9223372036854775808", "1001", "0", "BYE");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "fanout"})
    void answersBadLinesWithTheProtocolsErrorsAndStaysOpen(String shape) throws Exception {
        try (var server = server(shape, 1)) {
            List<String> answers = exchange(server.port(),
                    "x\n1 -1\n1 10001\n9223372036854775807 1\n\n1 1\nSTOP\n");
            assertThat(answers).hasSize(7);
            assertThat(answers.get(0)).startsWith("ERR bad-request ");
            assertThat(answers.get(1)).startsWith("ERR negative-increments ");
            assertThat(answers.get(2)).startsWith("ERR too-many-increments ");
            assertThat(answers.get(3)).startsWith("ERR overflow ");
            assertThat(answers.get(4)).startsWith("ERR bad-request ");
            assertThat(answers.subList(5, 7)).containsExactly("2", "BYE");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "fanout"})
    void answersTheLinesBeforeALongLineThenSaysSoAndCloses(String shape) throws Exception {
        try (var server = server(shape, 1)) {
            List<String> answers = exchange(server.port(), "1 1\n" + "9".repeat(2_000) + "\n3 3\n");
            assertThat(answers).hasSize(2);
            assertThat(answers.get(0)).isEqualTo("2");
            assertThat(answers.get(1)).startsWith("ERR line-too-long ");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "fanout"})
    void anEndOfStreamIsNoMoreRequestsNotACancel(String shape) throws Exception {
        try (var server = server(shape, 100_000); Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("4 20\n5 5\n".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("24");
            assertThat(in.readLine()).isEqualTo("10");
            assertThat(in.readLine()).isNull();
        }
    }

    @Test
    void theFanOutCancelsItsIncrementsWhenTheClientResets() throws Exception {
        // About a second of busy loop per unit: 40 increments would keep both pool threads busy for a minute or more.
        try (var server = server("fanout", 1_000_000_000L)) {
            ThreadPoolExecutor pool = (ThreadPoolExecutor) server.pool();
            Socket socket = new Socket("127.0.0.1", server.port());
            OutputStream out = socket.getOutputStream();
            out.write("0 40\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Polled, with a generous bound: a loaded machine may take long to start the pool's threads.
            long waited = 0;
            while (pool.getActiveCount() < Math.min(2, pool.getCorePoolSize()) && waited++ < 600) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            assertThat(pool.getActiveCount()).as("increments running").isPositive();
            socket.setSoLinger(true, 0); // a reset: the client is gone
            socket.close();
            long cancelledWithin = 0;
            // Each increment spins for seconds: without the cancellation they would run far past this bound.
            while ((pool.getActiveCount() > 0 || !pool.getQueue().isEmpty()) && cancelledWithin++ < 600) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            assertThat(pool.getActiveCount()).as("increments still running 30 s after the reset").isZero();
            assertThat(pool.getQueue()).as("increments still queued 30 s after the reset").isEmpty();
        }
    }

    /** Lesson 16 quotes the two handlers: each quoted block must still be in its source, line for line. */
    @ParameterizedTest
    @ValueSource(strings = {"InlineCounting", "FanOutCounting"})
    void lesson16QuotesTheHandlersAsTheyAre(String handler) throws IOException {
        String lessons = Files.readString(Path.of("..", "docs", "lessons.md"));
        String lesson = lessons.substring(lessons.indexOf("## 16. The same server on an event loop"));
        lesson = lesson.substring(0, lesson.indexOf("\n---\n"));
        List<String> blocks = new ArrayList<>(List.of(lesson.split("```java\n")));
        blocks.removeFirst();
        String quoted = blocks.get(handler.equals("InlineCounting") ? 0 : 1).split("```")[0];
        String source = Files.readString(Path.of("src/main/java/dev/loomcounter/benchmarks/netty", handler + ".java"));
        assertThat(stripped(source)).as("lesson 16's quote of %s", handler).contains(stripped(quoted));
    }

    /** Each line without its indentation: a quote may sit at another depth than its source. */
    private static String stripped(String text) {
        return text.strip().lines().map(String::strip).reduce("", (a, b) -> a + b + "\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"inline", "fanout"})
    void theLoadGeneratorFindsNothingWrong(String shape) throws Exception {
        assumeTrue(Files.isExecutable(LOAD), "no load generator at " + LOAD + " (set PEERS)");
        try (var server = server(shape, 1)) {
            Process load = new ProcessBuilder(LOAD.toString(), "-port", Integer.toString(server.port()),
                    "-conns", "10", "-requests", "100", "-increments", "0-10")
                    .redirectErrorStream(true).start();
            String report = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(load.waitFor()).as(report).isZero();
            assertThat(report).contains("requests ok:    1000", "wrong answers:  0", "errors:         0");
        }
    }
}
