package dev.loomcounter.benchmarks;

import dev.loomcounter.counting.RequestCounter;
import dev.loomcounter.counting.SubtaskGauge;
import dev.loomcounter.counting.Work;
import dev.loomcounter.log.Log;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.settings.ThreadKind;
import java.time.Duration;
import java.util.SplittableRandom;
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
 * <p><b>What is measured.</b> {@link RequestCounter#count} exactly as the server calls it, with {@code Spin(0)} work:
 * open a {@code StructuredTaskScope}, fork N increments, join, check the count. Everything but the work itself: the
 * per-subtask bookkeeping of the real code (its gauge and its timing; its log lines are not even built when the log
 * is silent) is part of the price. The score is microseconds per request; divided by N (as the chart and the
 * benchmarks page's table do) it is the cost of one subtask. {@code @OperationsPerInvocation} cannot do that division
 * here: it is a constant, and N is a parameter.
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
    /** Spin(0) ignores its units, but the counter still draws them: a fixed seed keeps even that repeatable. */
    private final SplittableRandom draws = new SplittableRandom(4);

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        counter = new RequestCounter(new Work.Spin(0), 1, kind, Duration.ofMinutes(1), Log.silent(),
                new SubtaskGauge());
        request = new Request.Count(0, subtasks);
        Checks.expect("ForkJoinCost " + kind + " " + subtasks, request(), request.expectedResult());
    }

    @Benchmark
    public long request() throws InterruptedException {
        // Returned, so JMH consumes it: the count cannot be optimised away.
        return counter.count("bench", request, draws).result();
    }
}
