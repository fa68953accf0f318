package dev.loomcounter.benchmarks;

import dev.loomcounter.counting.BusyLoop;
import dev.loomcounter.counting.RequestCounter;
import dev.loomcounter.log.Log;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.settings.Fairness;
import dev.loomcounter.settings.ThreadKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * CPU-bound requests: do virtual threads make computing faster?
 *
 * <p><b>Hypothesis.</b> No. A core adds 1.0 to a double at the same speed whichever kind of thread asks it to.
 * Virtual threads, platform threads and a fixed pool of one platform thread per core should tie, and none of them can
 * beat plain sequential code by more than the number of cores (2 on the machine of the committed results). Virtual
 * threads make <em>waiting</em> cheap (see {@link BlockingRequests}); they make no arithmetic faster.
 *
 * <p><b>What is measured.</b> One request of N subtasks, each running the server's real busy loop
 * ({@link BusyLoop#spin}) for {@value #ITERATIONS_PER_SUBTASK} iterations, then adding one to the count:
 * <ul>
 *   <li>{@code VIRTUAL}, {@code PLATFORM}: the server's own {@link RequestCounter}, one scope, a thread per subtask;
 *   <li>{@code FIXED_POOL}: the pre-Loom way, a pool of as many platform threads as cores, reused across requests;
 *   <li>{@code SEQUENTIAL}: the same loop N times on the benchmark's own thread, no concurrency at all: the baseline.
 * </ul>
 * Score: microseconds per request. Speed-up = SEQUENTIAL / the others, at the same N.
 *
 * <p><b>Run it alone</b>, from the repository root:
 * <pre>{@code ./mvnw -f benchmarks/pom.xml package exec:exec@quick -Dbench=CpuBoundRequests}</pre>
 * With {@code @full} instead of {@code @quick} it runs as in the full pass; add {@code -Dfull.json=results/NAME.json},
 * or its results alone replace the committed {@code results/full.json}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-preview")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 8, time = 1)
@State(Scope.Thread)
public class CpuBoundRequests {

    /** Small, so a request stays short: about a millisecond of work per subtask on a current CPU. */
    static final long ITERATIONS_PER_SUBTASK = 1_000_000;

    /** How the N subtasks of one request get a thread. */
    public enum Strategy { SEQUENTIAL, VIRTUAL, PLATFORM, FIXED_POOL }

    /** 2: one subtask per core, the best case for parallel code; 16 and 128: more subtasks than cores. */
    @Param({"2", "16", "128"})
    int subtasks;

    @Param({"SEQUENTIAL", "VIRTUAL", "PLATFORM", "FIXED_POOL"})
    Strategy strategy;

    private final int cores = Runtime.getRuntime().availableProcessors();
    private RequestCounter counter;
    private ExecutorService pool;
    private Request.Count request;
    private final SplittableRandom draws = new SplittableRandom(4);

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws Exception {
        request = new Request.Count(0, subtasks);
        switch (strategy) {
            // maxUnits 1: every subtask draws exactly one unit, so every strategy does the same work.
            case VIRTUAL, PLATFORM -> counter = new RequestCounter(Bench.spin(ITERATIONS_PER_SUBTASK), Fairness.OFF,
                    ThreadKind.valueOf(strategy.name()), Duration.ofMinutes(1), Bench.BUDGET, Log.silent());
            case FIXED_POOL -> pool = Executors.newFixedThreadPool(cores);
            case SEQUENTIAL -> {
            }
        }
        Checks.expect("CpuBoundRequests " + strategy + " " + subtasks, request(blackhole), request.expectedResult());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.close();
        }
    }

    @Benchmark
    public long request(Blackhole blackhole) throws Exception {
        return switch (strategy) {
            case VIRTUAL, PLATFORM -> Bench.count(counter, request, draws);
            case FIXED_POOL -> onPool(blackhole);
            case SEQUENTIAL -> sequentially(blackhole);
        };
    }

    /** What the server would do without a thread per subtask: queue the subtasks to a few long-lived threads. */
    private long onPool(Blackhole blackhole) throws InterruptedException, ExecutionException {
        AtomicLong count = new AtomicLong(request.start());
        List<Callable<Double>> tasks = new ArrayList<>(subtasks);
        for (int i = 0; i < subtasks; i++) {
            tasks.add(() -> {
                double work = BusyLoop.spin(ITERATIONS_PER_SUBTASK);
                count.incrementAndGet();
                return work;
            });
        }
        for (Future<Double> done : pool.invokeAll(tasks)) {
            // The loop's sums go to the Blackhole, so the JIT cannot decide they are unused and drop the loop.
            blackhole.consume(done.get());
        }
        return count.get();
    }

    private long sequentially(Blackhole blackhole) throws InterruptedException {
        long count = request.start();
        for (int i = 0; i < subtasks; i++) {
            blackhole.consume(BusyLoop.spin(ITERATIONS_PER_SUBTASK));
            count++;
        }
        return count;
    }
}
