package dev.loomcounter.benchmarks;

import dev.loomcounter.counting.RequestCounter;
import dev.loomcounter.log.Log;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.settings.Fairness;
import dev.loomcounter.settings.ThreadKind;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does a subtask cost when it does nothing at all?
 *
 * <p><b>Hypothesis.</b> The server forks one thread per increment, so the price of a fork is the price of the design.
 * A virtual thread is a small heap object run by a pool of carriers: forking and joining one should cost around a
 * microsecond. A platform thread is an operating-system thread with its own stack, created and destroyed by the
 * kernel each time: tens of microseconds, ten times more or worse. One request's scope (open, join, close) is paid
 * once, so the cost per subtask falls as the request grows, then stays flat.
 *
 * <p><b>What is measured.</b> {@link RequestCounter#count} exactly as the server calls it (the request's context
 * bound), with spin work of 0 iterations: open a {@code StructuredTaskScope}, fork N increments, join, check the
 * count. Everything but the work itself: the per-subtask bookkeeping of the real code (its gauge and its timing; its
 * log lines are not even built when the log is silent) is part of the price. The score is microseconds per
 * request; divided by N (as the chart and the benchmarks page's table do) it is the cost of one subtask.
 * {@code @OperationsPerInvocation} cannot do that division here: it is a constant, and N is a parameter.
 *
 * <p><b>Who owns the scope.</b> {@link #request} runs on JMH's own thread, a platform thread: every join parks a
 * platform thread and every subtask's end unparks one, through the operating system. In the server the owner is the
 * connection's virtual thread, and a join is a virtual thread parking on a carrier. {@link #requestFromAVirtualOwner}
 * measures that case: the same call, made by a virtual thread.
 *
 * <p><b>Run it alone</b>, from the repository root:
 * <pre>{@code ./mvnw -f benchmarks/pom.xml package exec:exec@quick -Dbench=ForkJoinCost}</pre>
 * With {@code @full} instead of {@code @quick} it runs as in the full pass; add {@code -Dfull.json=results/NAME.json},
 * or its results alone replace the committed {@code results/full.json}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-preview")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ForkJoinCost {

    /** Subtasks in the one request: from "the scope is the whole cost" to "the scope is lost in the forks". */
    @Param({"1", "10", "100", "1000", "10000"})
    int subtasks;

    @Param({"VIRTUAL", "PLATFORM"})
    ThreadKind kind;

    private RequestCounter counter;
    private Request.Count request;
    /** Work of 0 iterations ignores its units, but the counter still draws them: a fixed seed keeps that repeatable. */
    private final SplittableRandom draws = new SplittableRandom(4);

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        counter = new RequestCounter(Bench.spin(0), Fairness.OFF, kind, Duration.ofMinutes(1), Bench.BUDGET,
                Log.silent());
        request = new Request.Count(0, subtasks);
        Checks.expect("ForkJoinCost " + kind + " " + subtasks, request(), request.expectedResult());
    }

    @Benchmark
    public long request() throws InterruptedException {
        // Returned, so JMH consumes it: the count cannot be optimised away.
        return Bench.count(counter, request, draws);
    }

    /**
     * Requests a virtual owner makes in a row per invocation: its own start and join are shared by all of them. Ten,
     * not more: with platform subtasks one request of 10,000 takes about a second, and an invocation is the batch.
     */
    static final int OWNER_BATCH = 10;

    /**
     * The same request as {@link #request}, made by a virtual thread, as the server's connection makes it. One virtual
     * thread makes {@value #OWNER_BATCH} requests and JMH divides by as many: the thread's own start and join (a few
     * microseconds) add a tenth of that to each request.
     */
    @Benchmark
    @OperationsPerInvocation(OWNER_BATCH)
    public long requestFromAVirtualOwner() throws Exception {
        FutureTask<Long> batch = new FutureTask<>(() -> {
            long sum = 0;
            for (int i = 0; i < OWNER_BATCH; i++) {
                sum += Bench.count(counter, request, draws);
            }
            return sum;
        });
        Thread.ofVirtual().name("owner").start(batch);
        return batch.get();
    }
}
