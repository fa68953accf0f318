package dev.loomcounter.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.loomcounter.settings.Durations;
import dev.loomcounter.testing.ServerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chaos run: a real server process, and for a bounded time a mix of every kind of client it must survive, all at
 * once: well-behaved clients whose every answer is checked; clients that abort mid-request (a reset); clients that
 * pipeline and half-close; clients that never read; clients that trickle a line one byte at a time; bad lines (random
 * bytes, invalid UTF-8, NUL, a 1 MiB line); floods of requests beyond the subtask budget; floods of connections past
 * {@code --max-connections}; and all along, a fresh connection asking {@code 0 0}. Then SIGTERM.
 *
 * <p>It asserts: no wrong answer; every request of a well-behaved client answered exactly or with a documented
 * {@code ERR}, never silence; every stuck client let go; the virtual threads of the server's scopes and its open
 * sockets back to their baseline; the server up until the SIGTERM and exiting 0 after it. The figures go to {@code target/chaos-report.md}.
 *
 * <p>Run it alone, longer: {@code ./mvnw test -Dtest=ChaosRunTest -Dchaos.duration=60s}.
 */
@Tag("chaos")
class ChaosRunTest {

    private static final Duration DURATION = Durations.parse(System.getProperty("chaos.duration", "15s"));

    private static final int MAX_CONNECTIONS = 200;
    private static final int MAX_INCREMENTS = 2_000;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);
    /**
     * How long past its timeout a stuck client may still hold its slot before the run calls it kept forever. Generous:
     * a never-reader's timeout starts only once the server's replies have filled the socket's buffers, which takes
     * seconds on a loaded machine.
     */
    private static final Duration SLACK = Duration.ofSeconds(60);

    private static final List<String> SERVER_ARGS = List.of(
            "--max-connections", Integer.toString(MAX_CONNECTIONS),
            "--max-increments", Integer.toString(MAX_INCREMENTS),
            // Less than two of the largest requests at once: the floods below must hit the budget.
            "--max-subtasks", "3000",
            // 20,000 iterations a unit, 1 to 10 units: a subtask takes about 0.1 ms of CPU, `0 2000` about 0.2 s.
            "--unit-iterations", "20000",
            "--request-timeout", "20s",
            "--idle-timeout", Durations.format(IDLE_TIMEOUT),
            "--write-timeout", Durations.format(WRITE_TIMEOUT));

    private static final int WELL_BEHAVED = 8;

    private final Tally tally = new Tally();
    /** Odd while a flood of connections holds the server full: a client refused then is not the server's fault. */
    private final AtomicInteger floodEvents = new AtomicInteger();
    /** The same for the live view's web port, whose floods are its own. */
    private final AtomicInteger webFloodEvents = new AtomicInteger();

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // the run bounds itself; this only guards against a hang
    void noAnswerIsLostAndTheServerComesBackToItsBaseline() throws Exception {
        int webPort = freePort();
        List<String> serverArgs = new ArrayList<>(SERVER_ARGS);
        serverArgs.addAll(List.of("--web-port", Integer.toString(webPort)));
        // A crash of the JVM leaves its report where the usual name says, outside the work tree.
        try (ServerProcess server = ServerProcess.start(List.of("-XX:ErrorFile=/tmp/hs_err_pid%p.log"), "",
                serverArgs)) {
            int port = server.port();
            WebVisitors web = new WebVisitors(webPort, tally, webFloodEvents);
            expectAnswer(port, "0 0", "0");
            server.awaitLog("conn-1 closed"); // its threads gone: the baseline is an idle server
            // The live view's dump, not jcmd's: the JDK's can crash a JVM under load on 25.0.3.
            JsonObject before = ServerProcess.liveThreadDump(webPort);
            long virtualBefore = ServerProcess.virtualThreads(before);
            int filesBefore = server.openFiles();
            int socketsBefore = server.openSockets();
            int osThreadsBefore = server.osThreads();

            // The well-behaved clients connect first, before any flood of connections can fill the server.
            List<Wire> wellBehaved = new ArrayList<>();
            for (int i = 0; i < WELL_BEHAVED; i++) {
                wellBehaved.add(Wire.open(port));
            }
            long deadline = System.nanoTime() + DURATION.toNanos();

            // Every kind of client is a subtask of one scope: the run ends when the last of them has, and a failure
            // of the run itself (not of the server) cancels the rest.
            try (var scope = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow(),
                    config -> config.withName("chaos").withTimeout(DURATION.plus(Duration.ofMinutes(2))))) {
                for (int i = 0; i < WELL_BEHAVED; i++) {
                    Wire wire = wellBehaved.get(i);
                    long seed = i;
                    scope.fork(() -> wellBehaved(wire, deadline, new SplittableRandom(seed)));
                }
                scope.fork(() -> repeat(deadline, Duration.ofMillis(20), () -> abortMidRequest(port)));
                scope.fork(() -> repeat(deadline, Duration.ofMillis(50), () -> pipelineThenHalfClose(port)));
                scope.fork(() -> repeat(deadline, Duration.ZERO, () -> neverRead(port)));
                scope.fork(() -> repeat(deadline, Duration.ofMillis(100), () -> trickle(port)));
                scope.fork(() -> repeat(deadline, Duration.ofMillis(100), () -> badLines(port)));
                scope.fork(() -> repeat(deadline, Duration.ofMillis(200), () -> floodTheBudget(port)));
                scope.fork(() -> repeat(deadline, Duration.ofSeconds(2), () -> floodConnections(port)));
                scope.fork(() -> repeat(deadline, Duration.ofMillis(200), () -> probe(port)));
                // The live view's web port, at the same time: dumps, pages, a stalled page, a slowloris, a flood.
                scope.fork(() -> repeat(deadline, Duration.ofMillis(250), webFloodEvents, web::pressDumpButton));
                scope.fork(() -> repeat(deadline, Duration.ofMillis(100), webFloodEvents, web::openAndClosePage));
                scope.fork(() -> repeat(deadline, Duration.ofSeconds(1), webFloodEvents, web::stallPage));
                scope.fork(() -> repeat(deadline, Duration.ZERO, webFloodEvents, web::slowloris));
                scope.fork(() -> repeat(deadline, Duration.ofSeconds(3), webFloodEvents, web::floodConnections));
                scope.fork(() -> repeat(deadline, Duration.ofMillis(500), () -> {
                    tally.max("open files", server.openFiles());
                    tally.max("os threads", server.osThreads());
                }));
                scope.join();
            }

            assertThat(server.isAlive()).as("the server is still up after the run").isTrue();
            expectAnswer(port, "2 10", "12");
            // Back to the baseline: every connection's virtual thread gone, every socket closed.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                List<String> virtualAfter = ServerProcess.virtualThreadsWithStacks(
                        ServerProcess.liveThreadDump(webPort));
                assertThat((long) virtualAfter.size()).as("virtual threads: %s", virtualAfter)
                        .isEqualTo(virtualBefore);
                assertThat(server.openSockets()).as("open sockets").isEqualTo(socketsBefore);
            });
            int osThreadsAfter = server.osThreads();
            int filesAfter = server.openFiles();
            server.signal("TERM");
            int exitCode = server.awaitExit();

            String report = report(virtualBefore, filesBefore, filesAfter, osThreadsBefore, osThreadsAfter, exitCode);
            Files.writeString(Path.of("target", "chaos-report.md"), report);
            System.out.println(report);

            assertThat(tally.failures()).as("wrong answers, lost answers, clients kept forever").isEmpty();
            assertThat(tally.get("well-behaved: exact")).as("exact answers").isPositive();
            assertThat(tally.get("budget flood: ERR overloaded")).as("the budget was hit").isPositive();
            assertThat(tally.get("connection flood: ERR busy")).as("the connection limit was hit").isPositive();
            assertThat(tally.get("never-reader: dropped")).as("clients that never read were let go").isPositive();
            assertThat(tally.get("trickler: dropped")).as("tricklers were let go").isPositive();
            assertThat(tally.probes()).as("probes answered").isPositive();
            assertThat(tally.get("web: thread dumps served")).as("thread dumps under load").isPositive();
            assertThat(tally.get("web: pages that read their stream")).as("pages served").isPositive();
            assertThat(tally.get("web: stalled page dropped")).as("stalled pages let go").isPositive();
            assertThat(tally.get("web: slowloris cut off")).as("slowloris cut off").isPositive();
            assertThat(tally.get("web: connection flood refused past the cap")).as("web cap hit").isPositive();
            assertThat(osThreadsAfter).as("platform threads after the run").isLessThanOrEqualTo(osThreadsBefore + 4);
            assertThat(server.log()).noneMatch(line -> line.contains("Exception in thread"));
            assertThat(exitCode).as("exit code after SIGTERM").isZero();
        }
    }

    /** Pipelines a few requests at a time and checks every answer; then STOP and BYE. */
    private Void wellBehaved(Wire wire, long deadline, SplittableRandom random) throws IOException {
        try (wire) {
            while (System.nanoTime() < deadline) {
                long[] expected = new long[1 + random.nextInt(4)];
                StringBuilder lines = new StringBuilder();
                for (int i = 0; i < expected.length; i++) {
                    long start = random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L);
                    int increments = random.nextInt(51);
                    expected[i] = start + increments;
                    lines.append(start).append(' ').append(increments).append('\n');
                }
                wire.send(lines.toString());
                for (long answer : expected) {
                    check("well-behaved", Long.toString(answer), readOrSilence(wire));
                }
            }
            wire.send("STOP\n");
            check("well-behaved STOP", "BYE", readOrSilence(wire));
        }
        return null;
    }

    /** Asks for a long count, then resets the connection mid-request, as a killed client process does. */
    private void abortMidRequest(int port) throws IOException {
        Wire wire = Wire.open(port);
        wire.send("0 300\n");
        pause(Duration.ofMillis(new SplittableRandom().nextInt(30)));
        wire.abort();
        tally.count("aborted mid-request");
    }

    /** Sends a few requests (and sometimes STOP), half-closes, and expects every answer, in order, then the end. */
    private void pipelineThenHalfClose(int port) throws IOException {
        SplittableRandom random = new SplittableRandom();
        try (Wire wire = Wire.open(port)) {
            int count = 1 + random.nextInt(5);
            boolean stop = random.nextBoolean();
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < count; i++) {
                lines.append(i).append(' ').append(i).append('\n');
            }
            wire.send(lines + (stop ? "STOP\n" : ""));
            wire.halfClose();
            for (int i = 0; i < count; i++) {
                String reply = readOrSilence(wire);
                if (i == 0 && reply != null && reply.startsWith("ERR busy")) {
                    tally.count("half-close: ERR busy");
                    return;
                }
                check("half-close", Integer.toString(2 * i), reply);
            }
            if (stop) {
                check("half-close STOP", "BYE", readOrSilence(wire));
            }
            String after = readOrSilence(wire);
            if (after != null) {
                tally.fail("half-close: expected the end after the last answer, got '" + after + "'");
            }
            tally.count("half-close: all answered");
        }
    }

    /** Pipelines requests with long answers and never reads one: the write timeout must let it go. */
    private void neverRead(int port) throws IOException {
        byte[] batch = "9000000000000000000 0\n".repeat(1_000).getBytes(StandardCharsets.US_ASCII);
        long began = System.nanoTime();
        Wire wire = Wire.openNotReading(port);
        // Writing blocks once the server stops reading (its read-ahead is full, its replies back up), and fails once
        // the server gives up on us and closes. The scope's timeout bounds our patience: when it fires, the scope
        // cancels the writer, and interrupting a virtual thread blocked on a socket closes that socket.
        try (var scope = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow(),
                config -> config.withTimeout(WRITE_TIMEOUT.plus(SLACK)))) {
            scope.fork(() -> {
                while (true) {
                    wire.send(batch);
                }
            });
            scope.join();
        } catch (StructuredTaskScope.TimeoutException e) {
            tally.fail("never-reader: still connected after " + WRITE_TIMEOUT.plus(SLACK));
            return;
        } catch (StructuredTaskScope.FailedException e) {
            Duration held = Duration.ofNanos(System.nanoTime() - began);
            if (held.compareTo(WRITE_TIMEOUT) < 0) {
                // too early for the write timeout: refused during a flood, or a bug (repeat tells them apart)
                throw new IOException("closed after " + held.toMillis() + " ms", e.getCause());
            }
            tally.count("never-reader: dropped");
            tally.max("never-reader: held ms", held.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            wire.close();
        }
    }

    /** Sends one byte of an unfinished line every 400 ms: the idle timeout must cover a line that never ends. */
    private void trickle(int port) throws IOException {
        long began = System.nanoTime();
        try (Wire wire = Wire.open(port)) {
            String first = wire.readLineWithin(Duration.ofMillis(400));
            if (first != null) {
                expectPrefix("trickler refused", "ERR busy", first);
                return;
            }
            while (true) {
                wire.send("1");
                try {
                    // An ERR line before the close is fine; the close is what we wait for.
                    while (wire.readByte(Duration.ofMillis(400)) >= 0) {
                        tally.count("trickler: bytes heard");
                    }
                    break;
                } catch (SocketTimeoutException stillOpen) {
                    if (Duration.ofNanos(System.nanoTime() - began).compareTo(IDLE_TIMEOUT.plus(SLACK)) > 0) {
                        tally.fail("trickler: still connected after " + IDLE_TIMEOUT.plus(SLACK));
                        return;
                    }
                }
            }
        }
        tally.count("trickler: dropped");
        tally.max("trickler: held ms", Duration.ofNanos(System.nanoTime() - began).toMillis());
    }

    /** Random bytes, invalid UTF-8, a NUL: each gets ERR bad-request and the connection goes on; 1 MiB: line-too-long. */
    private void badLines(int port) throws IOException {
        SplittableRandom random = new SplittableRandom();
        byte[] noise = new byte[1 + random.nextInt(100)];
        random.nextBytes(noise);
        for (int i = 0; i < noise.length; i++) {
            if (noise[i] == '\n' || noise[i] == '\r') {
                noise[i] = 'x';
            }
        }
        noise[0] = 'x'; // never a valid request by chance
        List<byte[]> bad = List.of(concat(noise, "\n"), new byte[] {(byte) 0xff, (byte) 0xfe, ' ', '1', '\n'},
                "0\0 1\n".getBytes(StandardCharsets.US_ASCII));
        try (Wire wire = Wire.open(port)) {
            for (byte[] line : bad) {
                wire.send(line);
                String reply = readOrSilence(wire);
                if (reply != null && reply.startsWith("ERR busy")) {
                    tally.count("bad lines: ERR busy");
                    return;
                }
                expectPrefix("bad line", "ERR bad-request", reply);
                check("after a bad line", "2", askOn(wire, "1 1"));
            }
            wire.send(concat("7".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII), "\n"));
            expectPrefix("1 MiB line", "ERR line-too-long", readOrSilence(wire));
            String after = readOrSilence(wire);
            if (after != null) {
                tally.fail("1 MiB line: expected the connection closed, got '" + after + "'");
            }
        }
    }

    /**
     * Requests far beyond the subtask budget, from three connections at once (one connection's requests run one after
     * another): each is answered exactly or {@code ERR overloaded}, never queued for ever.
     */
    private void floodTheBudget(int port) throws IOException {
        List<Wire> wires = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                wires.add(Wire.open(port).send("0 " + MAX_INCREMENTS + "\n"));
            }
            for (Wire wire : wires) {
                String reply = readOrSilence(wire);
                if (reply != null && reply.startsWith("ERR busy")) {
                    tally.count("budget flood: ERR busy");
                } else {
                    check("budget flood", Integer.toString(MAX_INCREMENTS), reply);
                }
            }
        } finally {
            for (Wire wire : wires) {
                wire.close();
            }
        }
    }

    /** More connections than the server takes: the ones over the limit hear {@code ERR busy}; none hear nothing. */
    private void floodConnections(int port) throws IOException {
        List<Wire> wires = new ArrayList<>();
        floodEvents.incrementAndGet();
        try {
            // First a connection the server serves: the last flood's connections may still hold their places for a
            // moment after their close (the server sees each end of stream on its own time).
            wires.add(servedConnection(port));
            for (int i = 0; i < MAX_CONNECTIONS + 20; i++) {
                wires.add(Wire.open(port));
            }
            // Over the limit, the server refuses at once: the last connections opened hear ERR busy without asking.
            // Read them from the last one back, until one hears nothing (accepted: it has not asked anything yet).
            for (Wire wire : wires.reversed()) {
                String first = wire.readLineWithin(Duration.ofSeconds(2));
                if (first == null) {
                    break;
                }
                expectPrefix("connection flood", "ERR busy", first);
            }
            // And the first one, accepted before the server filled up, is served as usual.
            check("connection flood", "0", askOn(wires.getFirst(), "0 0"));
        } finally {
            for (Wire wire : wires) {
                wire.close();
            }
            floodEvents.incrementAndGet();
        }
    }

    /** A connection the server has room for, once it has: {@code ERR busy} is tried again, for a while. */
    private Wire servedConnection(int port) throws IOException {
        long deadline = System.nanoTime() + SLACK.toNanos();
        while (true) {
            Wire wire = Wire.open(port);
            String reply = askOn(wire, "0 0");
            if ("0".equals(reply)) {
                return wire;
            }
            wire.close();
            if (reply == null || !reply.startsWith("ERR busy") || System.nanoTime() > deadline) {
                throw new IOException("no room for a connection before the flood: " + reply);
            }
            tally.count("connection flood: waited for room");
            pause(Duration.ofMillis(50));
        }
    }

    /** A fresh connection asking {@code 0 0}: how long the server takes to answer anyone, whatever else goes on. */
    private void probe(int port) throws IOException {
        long began = System.nanoTime();
        try (Wire wire = Wire.open(port)) {
            String reply = askOn(wire, "0 0");
            if (reply != null && reply.startsWith("ERR busy")) {
                tally.count("probe: ERR busy");
                return;
            }
            check("probe", "0", reply);
            tally.probe(Duration.ofNanos(System.nanoTime() - began));
        }
    }

    private void expectAnswer(int port, String request, String answer) throws IOException {
        try (Wire wire = Wire.open(port)) {
            assertThat(askOn(wire, request)).isEqualTo(answer);
        }
    }

    private String askOn(Wire wire, String request) throws IOException {
        wire.send(request + "\n");
        return readOrSilence(wire);
    }

    /** The next line; null for the end of the stream, and for silence (counted: a lost answer). */
    private String readOrSilence(Wire wire) throws IOException {
        try {
            return wire.readLine();
        } catch (SocketTimeoutException e) {
            tally.count("silence");
            return null;
        }
    }

    /** An exact answer, or one of the errors the protocol documents for a well-formed request under load. */
    private void check(String who, String expected, String reply) {
        if (expected.equals(reply)) {
            tally.count(who.startsWith("well-behaved") ? "well-behaved: exact" : "exact");
        } else if (reply != null && (reply.startsWith("ERR overloaded") || reply.startsWith("ERR timeout"))) {
            tally.count(who + ": " + errorCode(reply));
        } else if (reply == null) {
            tally.fail(who + ": no answer (expected " + expected + ")");
        } else {
            tally.fail(who + ": expected " + expected + ", got '" + reply + "'");
        }
    }

    /** {@code ERR overloaded the budget is full} gives {@code ERR overloaded}. */
    private static String errorCode(String reply) {
        int space = reply.indexOf(' ', "ERR ".length());
        return space < 0 ? reply : reply.substring(0, space);
    }

    private void expectPrefix(String who, String prefix, String reply) {
        if (reply != null && reply.startsWith(prefix)) {
            tally.count(who + ": " + prefix);
        } else {
            tally.fail(who + ": expected " + prefix + ", got " + (reply == null ? "no answer" : "'" + reply + "'"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    /**
     * Runs a kind of client again and again until the deadline. A connection reset or closed under it is a failure of
     * the server, unless a flood of connections was on at the time: then the server rightly refused it.
     */
    private Void repeat(long deadline, Duration between, Step step) {
        return repeat(deadline, between, floodEvents, step);
    }

    /** As above, for a client of the port whose floods {@code floods} counts. */
    private Void repeat(long deadline, Duration between, AtomicInteger floods, Step step) {
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            int floodsBefore = floods.get();
            try {
                step.run();
            } catch (IOException e) {
                if (floodsBefore % 2 == 1 || floods.get() != floodsBefore) {
                    tally.count("refused during a connection flood");
                } else {
                    tally.fail("connection broken by the server: " + e);
                }
            }
            pause(between);
        }
        return null;
    }

    /** Pacing, not synchronization: each kind of client acts at about its rate, so that two cores can keep up. */
    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] concat(byte[] bytes, String end) {
        byte[] all = Arrays.copyOf(bytes, bytes.length + end.length());
        System.arraycopy(end.getBytes(StandardCharsets.US_ASCII), 0, all, bytes.length, end.length());
        return all;
    }

    private String report(long virtualBefore, int filesBefore, int filesAfter, int osThreadsBefore, int osThreadsAfter,
                          int exitCode) {
        StringBuilder report = new StringBuilder("# Chaos run: ").append(Durations.format(DURATION))
                .append(" against a server with ").append(String.join(" ", SERVER_ARGS))
                .append(" and its live view on\n\n")
                .append("| what | count |\n|---|---:|\n");
        tally.counts().forEach((what, count) -> report.append("| ").append(what).append(" | ").append(count)
                .append(" |\n"));
        report.append("\n| figure | value |\n|---|---:|\n")
                .append(String.format("| `0 0` on a fresh connection: probes | %d |%n", tally.probes()))
                .append(String.format("| `0 0` latency p50 / p99 / max (ms) | %.1f / %.1f / %.1f |%n",
                        tally.probeMillis(50), tally.probeMillis(99), tally.probeMillis(100)))
                .append(String.format("| longest a never-reader held its connection (ms) | %d |%n",
                        tally.maximum("never-reader: held ms")))
                .append(String.format("| longest a trickler held its connection (ms) | %d |%n",
                        tally.maximum("trickler: held ms")))
                .append(String.format("| open files: before / peak / after | %d / %d / %d |%n", filesBefore,
                        tally.maximum("open files"), filesAfter))
                .append(String.format("| OS threads: before / peak / after | %d / %d / %d |%n", osThreadsBefore,
                        tally.maximum("os threads"), osThreadsAfter))
                .append(String.format("| virtual threads before and after (JSON thread dump) | %d |%n", virtualBefore))
                .append(String.format("| exit code after SIGTERM | %d |%n", exitCode));
        if (!tally.failures().isEmpty()) {
            report.append("\n| failure | times |\n|---|---:|\n");
            tally.failures().forEach((failure, times) -> report.append("| ").append(failure).append(" | ")
                    .append(times).append(" |\n"));
        }
        return report.toString();
    }
}
