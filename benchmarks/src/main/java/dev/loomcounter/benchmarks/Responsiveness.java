package dev.loomcounter.benchmarks;

import dev.loomcounter.server.CountingServer;
import dev.loomcounter.settings.Defaults;
import dev.loomcounter.settings.ServerSettings;
import dev.loomcounter.settings.Fairness;
import dev.loomcounter.settings.ThreadKind;
import java.io.IOException;
import java.time.Duration;
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
 * Responsiveness: does one large CPU-bound request make a tiny one wait?
 *
 * <p><b>Hypothesis.</b> Virtual threads are not preempted: a virtual thread keeps its carrier until it blocks or
 * ends. A large request of {@value #BIG_INCREMENTS} busy-loop subtasks therefore occupies every carrier (one per
 * core) and queues the rest of its subtasks; a tiny request arriving on another connection needs a carrier too, even
 * for its reader to wake up, and waits its turn behind busy subtasks. Platform threads are time-sliced by the
 * operating system, which gives a newly woken thread the CPU within milliseconds however many others spin. Expect the
 * tiny request's latency under load to be far worse with virtual threads than with platform threads, and both to be
 * fast when the server is idle. This is the price of virtual threads' cheapness, and the reason CPU-heavy work belongs
 * on a bounded pool (or behind a fairness limit) rather than on unbounded virtual threads.
 *
 * <p><b>What is measured.</b> The real {@link CountingServer} on loopback. With {@code background = BUSY}, one client
 * on its own platform thread sends the large request {@value #BIG_REQUEST} again and again on one connection, so
 * there always is one running. The benchmark thread sends a tiny request on another connection and times its round
 * trip ({@code Mode.SampleTime}: mean, median, 99th percentile): {@code 0 0} (no subtask: the connection's own
 * threads only) and {@code 1 5} (five subtasks of one unit each). {@code IDLE} is the same without the large request:
 * the baseline.
 *
 * <p><b>Fairness.</b> {@code fairness = OFF} is the above: every subtask spins on its own thread. With {@code ON}
 * (the server's default) each subtask hands its busy loop, slice by slice, to the server's fair pool of one platform
 * thread per core, which serves requests round-robin, and waits blocked: the carriers stay free for connections.
 * Expect {@code ON} to keep the tiny request's latency near its idle value in both thread kinds, at the cost of a
 * hand-off per slice.
 *
 * <p>One fork per trial, not two: sixteen combinations of parameters, and the full pass must stay under half an hour.
 *
 * <p><b>Run it alone</b>, from the repository root:
 * <pre>{@code ./mvnw -f benchmarks/pom.xml package exec:exec@quick -Dbench=Responsiveness}</pre>
 * With {@code @full} instead of {@code @quick} it runs as in the full pass; add {@code -Dfull.json=results/NAME.json},
 * or its results alone replace the committed {@code results/full.json}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-preview")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@State(Scope.Thread)
public class Responsiveness {

    /** One unit of busy loop per subtask, the same for both requests: under a millisecond of CPU. */
    static final long UNIT_ITERATIONS = 1_000_000;
    /** The large request's subtasks: about a second of work for two cores. */
    static final int BIG_INCREMENTS = 2_000;
    static final String BIG_REQUEST = "0 2000";

    public enum Background {
        /** Nothing else runs: the tiny request's own latency. */
        IDLE,
        /** One large CPU-bound request runs at all times on another connection. */
        BUSY
    }

    @Param({"VIRTUAL", "PLATFORM"})
    ThreadKind kind;

    /** on: CPU slices go to the server's fair pool; off: each subtask spins on its own thread (the starvation). */
    @Param({"ON", "OFF"})
    Fairness fairness;

    @Param({"IDLE", "BUSY"})
    Background background;

    @Param({"0 0", "1 5"})
    String tinyRequest;

    private CountingServer server;
    private LineClient tiny;
    private byte[] tinyLine;
    private String tinyExpected;
    private Hog hog;

    /** Everything the server under test is told. */
    ServerSettings serverSettings() {
        return LoopbackServer.settings(kind, fairness, UNIT_ITERATIONS, Defaults.MAX_CONNECTIONS);
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        server = LoopbackServer.start(serverSettings());
        tiny = new LineClient(server.port());
        tinyLine = LineClient.line(tinyRequest);
        String[] startAndIncrements = tinyRequest.split(" ");
        tinyExpected = Long.toString(Long.parseLong(startAndIncrements[0]) + Long.parseLong(startAndIncrements[1]));
        if (background == Background.BUSY) {
            hog = new Hog(new LineClient(server.port()));
            hog.awaitBusy(server);
        }
        // Checked once, under the same load as the measurement.
        Checks.expect("Responsiveness " + kind + " " + background + " '" + tinyRequest + "'",
                tiny.request(tinyLine), tinyExpected);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        if (hog != null) {
            hog.stop();
            hog = null;
        }
        tiny.close();
        server.close();
    }

    @Benchmark
    public String tinyRequest() throws IOException {
        if (hog != null) {
            hog.throwIfFailed();
        }
        return tiny.request(tinyLine);
    }

    /**
     * Keeps one large request running: sends it, waits for its answer, checks it, sends it again. A platform thread,
     * so that in virtual mode the load generator does not compete with the server for its carriers.
     */
    private static final class Hog {
        private final LineClient client;
        private final Thread thread;
        private volatile boolean stopping;
        private volatile Exception failure;

        Hog(LineClient client) {
            this.client = client;
            this.thread = Thread.ofPlatform().name("hog").start(this::run);
        }

        private void run() {
            byte[] line = LineClient.line(BIG_REQUEST);
            String expected = Integer.toString(BIG_INCREMENTS);
            try {
                while (!stopping) {
                    Checks.expect("Responsiveness large request", client.request(line), expected);
                }
            } catch (IOException | RuntimeException e) {
                if (!stopping) {
                    failure = e;
                }
            }
        }

        /** Returns once the large request's subtasks are running on the server. */
        void awaitBusy(CountingServer server) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (server.subtasks().running() == 0) {
                throwIfFailed();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the large request did not start in 30 s");
                }
                Thread.sleep(1);
            }
        }

        /** A wrong answer to the large request fails the benchmark, though it is counted on another thread. */
        void throwIfFailed() {
            Exception e = failure;
            if (e != null) {
                throw new IllegalStateException("the large request failed", e);
            }
        }

        void stop() throws IOException, InterruptedException {
            stopping = true;
            // Hanging up cancels the large request on the server: its subtasks are interrupted and stop promptly.
            client.close();
            thread.join();
            throwIfFailed();
        }
    }
}
