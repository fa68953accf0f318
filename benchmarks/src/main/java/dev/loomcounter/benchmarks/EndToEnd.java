package dev.loomcounter.benchmarks;

import dev.loomcounter.server.CountingServer;
import dev.loomcounter.settings.Defaults;
import dev.loomcounter.settings.Fairness;
import dev.loomcounter.settings.ThreadKind;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole server, sockets and all: how many small requests a second, and how long they take, as more clients
 * connect at once.
 *
 * <p><b>Hypothesis.</b> Each connection is served by its own thread (plus a worker while it has requests), and each request
 * forks {@value #INCREMENTS} subtasks of ~{@value #UNIT_ITERATIONS} busy-loop iterations. With virtual threads the
 * cost of a connection is a few heap objects and a subtask about a microsecond, so requests per second should hold
 * up from 1 to 1,000 connections, limited by the two cores doing the work. With platform threads every request creates
 * {@value #INCREMENTS} kernel threads and every connection holds one or two: expect fewer requests per second at every
 * size, and a round of 1,000 simultaneous requests to take much longer.
 *
 * <p><b>What is measured.</b> The real {@link CountingServer} on 127.0.0.1 (port 0), in the same JVM as the client.
 * C connections are opened before the trial. One operation is a <em>round</em>: the benchmark thread sends one request
 * on every connection, then reads every reply, so C requests are in flight at once, and the server sees C clients
 * each sending a request and waiting for its answer. Sampled time per round ({@code Mode.SampleTime}) gives
 * <ul>
 *   <li>latency: the round time, the time until the last of C simultaneous requests is answered (at C = 1, exactly
 *       one request's round trip), with its median and 99th percentile;
 *   <li>throughput: requests per second = C / mean round time (computed by {@code ChartMaker}).
 * </ul>
 * Client and server share the same two cores: the client's share is the same in both modes (C small writes and reads
 * a round, on one platform thread), so the comparison is fair, though absolute numbers are lower than with a client on
 * another machine.
 *
 * <p><b>CPU per request.</b> Each iteration also prints the process's CPU time per request answered
 * ({@code OperatingSystemMXBean.getProcessCpuTime}, server and client together, since they share the JVM): a cost
 * that a wall-clock figure on a shared machine hides, and that is the same whatever else runs.
 *
 * <p><b>Run it alone</b>, from the repository root:
 * <pre>{@code ./mvnw -f benchmarks/pom.xml package exec:exec@quick -Dbench=EndToEnd}</pre>
 * With {@code @full} instead of {@code @quick} it runs as in the full pass; add {@code -Dfull.json=results/NAME.json},
 * or its results alone replace the committed {@code results/full.json}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-preview")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class EndToEnd {

    /** Subtasks per request: a small request, but one that uses the structured fork/join. */
    static final int INCREMENTS = 10;
    /** One unit of busy loop per subtask: a few microseconds, so the server's own costs are what is measured. */
    static final long UNIT_ITERATIONS = 10_000;

    /** Connections open at once, each with one request in flight per round. 1,000 is the server's default maximum. */
    @Param({"1", "10", "100", "1000"})
    int connections;

    @Param({"VIRTUAL", "PLATFORM"})
    ThreadKind kind;

    private CountingServer server;
    private final List<LineClient> clients = new ArrayList<>();
    private byte[][] requests;
    private String[] expected;
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long answered;
    private long answeredAtStart;
    private long cpuNanosAtStart;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        // Fairness on, the server's default: the server as users run it.
        server = LoopbackServer.start(LoopbackServer.settings(kind, Fairness.ON, UNIT_ITERATIONS,
                Math.max(connections, Defaults.MAX_CONNECTIONS)));
        requests = new byte[connections][];
        expected = new String[connections];
        for (int i = 0; i < connections; i++) {
            clients.add(new LineClient(server.port()));
            // A different start on every connection: a reply that went to the wrong client would not match.
            requests[i] = LineClient.line(i + " " + INCREMENTS);
            expected[i] = Long.toString(i + INCREMENTS);
        }
        // One answered round proves every connection accepted and served: no trial starts half connected.
        round();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        for (LineClient client : clients) {
            client.close();
        }
        clients.clear();
        server.close();
    }

    @Setup(Level.Iteration)
    public void startCpuClock() {
        answeredAtStart = answered;
        cpuNanosAtStart = os.getProcessCpuTime();
    }

    /** The auxiliary figure: microseconds of CPU, server and client, per request of this iteration. */
    @TearDown(Level.Iteration)
    public void readCpuClock() {
        long requests = answered - answeredAtStart;
        if (requests > 0) {
            double micros = (os.getProcessCpuTime() - cpuNanosAtStart) / 1_000.0 / requests;
            System.out.println("cpu per request: " + Math.round(micros * 10) / 10.0 + " us (" + requests
                    + " requests)");
        }
    }

    /** One request on every connection, then every reply: C requests in flight at once. */
    @Benchmark
    public int round() throws IOException {
        for (int i = 0; i < connections; i++) {
            clients.get(i).send(requests[i]);
        }
        int answeredThisRound = 0;
        for (int i = 0; i < connections; i++) {
            // Checked every round, not once: it costs a string comparison, and an error reply (ERR busy, ERR timeout)
            // must fail the run rather than be timed as a fast answer.
            Checks.expect("EndToEnd " + kind + " connection " + i, clients.get(i).receive(), expected[i]);
            answeredThisRound++;
        }
        answered += answeredThisRound;
        return answeredThisRound;
    }
}
