package dev.loomcounter.benchmarks;

import dev.loomcounter.counting.RequestCounter;
import dev.loomcounter.log.Log;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.settings.Fairness;
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
 * Blocking requests: what virtual threads are for.
 *
 * <p><b>Hypothesis.</b> Each subtask sleeps {@value #SLEEP_MILLIS} ms, standing for a call to a database or another
 * service. A sleeping virtual thread unmounts and gives its carrier back, so N sleeping subtasks cost N small heap
 * objects and the request takes about one sleep, even at N = 100,000 on 2 cores. With platform threads every
 * sleeper is a whole operating-system thread: the sleeps still overlap, but creating N kernel threads one after
 * the other adds N times tens of microseconds, and at 10,000 subtasks that costs more than the sleep itself.
 *
 * <p><b>Why platform threads stop at 10,000.</b> Not for lack of thread ids: {@code /proc/sys/kernel/pid_max}, {@code
 * threads-max} and a container's {@code pids.max} bound the threads alive at once, and the subtasks of one request are
 * not all alive at once. The owner creates them one after the other, and each ends 100 ms after it starts, so only
 * those created in the last 100 ms or so are alive: the course's {@code VirtualThreadFacts} forked 10,000 platform
 * subtasks of 100 ms in one scope with at most 388 to 661 alive, and 40,000 in 18.8 s with at most 590 (a machine
 * shared with other builds). What stops the case is time: creating the threads one by one is the whole cost, already
 * 1.5 s a request at 10,000, and 100,000 took 58 s in one run (at most 621 alive): every iteration of the full pass
 * would spend about a minute a request showing the same thing again. JMH crosses every {@code @Param} with every other, so
 * the two kinds are two benchmark methods, each with its own list of sizes.
 *
 * <p><b>What is measured.</b> {@link RequestCounter#count} with sleep work of one unit per subtask, as the
 * server runs it with {@code --work sleep}. Score: milliseconds per request; "blocking ratio" = platform / virtual at
 * the same N.
 *
 * <p><b>Run it alone</b>, from the repository root:
 * <pre>{@code ./mvnw -f benchmarks/pom.xml package exec:exec@quick -Dbench=BlockingRequests}</pre>
 * With {@code @full} instead of {@code @quick} it runs as in the full pass; add {@code -Dfull.json=results/NAME.json},
 * or its results alone replace the committed {@code results/full.json}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-preview")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class BlockingRequests {

    /** Long against a fork (microseconds), so that "one sleep" is easy to see in the results; short enough to
     * give each measured iteration many requests. */
    static final long SLEEP_MILLIS = 100;

    @State(Scope.Thread)
    public static class VirtualThreads {
        @Param({"1", "100", "10000", "100000"})
        int subtasks;

        Sleepers sleepers;

        @Setup(Level.Trial)
        public void setUp() throws InterruptedException {
            sleepers = new Sleepers(ThreadKind.VIRTUAL, subtasks);
        }
    }

    @State(Scope.Thread)
    public static class PlatformThreads {
        /** No 100,000: see the class comment. */
        @Param({"1", "100", "10000"})
        int subtasks;

        Sleepers sleepers;

        @Setup(Level.Trial)
        public void setUp() throws InterruptedException {
            sleepers = new Sleepers(ThreadKind.PLATFORM, subtasks);
        }
    }

    @Benchmark
    public long virtualThreads(VirtualThreads state) throws InterruptedException {
        return state.sleepers.request();
    }

    @Benchmark
    public long platformThreads(PlatformThreads state) throws InterruptedException {
        return state.sleepers.request();
    }

    /** One request of N sleeping subtasks, checked once when made. */
    static final class Sleepers {
        private final RequestCounter counter;
        private final Request.Count request;
        private final SplittableRandom draws = new SplittableRandom(4);

        Sleepers(ThreadKind kind, int subtasks) throws InterruptedException {
            // maxUnits 1: every subtask sleeps exactly one unit.
            this.counter = new RequestCounter(Bench.sleep(Duration.ofMillis(SLEEP_MILLIS)), Fairness.OFF, kind,
                    Duration.ofMinutes(1), Bench.BUDGET, Log.silent());
            this.request = new Request.Count(0, subtasks);
            Checks.expect("BlockingRequests " + kind + " " + subtasks, request(), request.expectedResult());
        }

        long request() throws InterruptedException {
            return Bench.count(counter, request, draws);
        }
    }
}
