package dev.loomcounter.counting;

import dev.loomcounter.live.Recorder;
import dev.loomcounter.log.Log;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.settings.ThreadKind;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Counts one request the structured way: one scope per request, one subtask per increment, and {@code join()} before
 * the answer. This class is the lesson of the project in thirty lines.
 */
public final class RequestCounter {

    private final Work work;
    private final int maxUnits;
    private final ThreadKind threads;
    private final Duration timeout;
    private final Log log;
    private final SubtaskGauge gauge;
    private final Recorder live;

    /**
     * @param work     what each increment does first
     * @param maxUnits each increment draws 1 to maxUnits units of work
     * @param threads  the kind of thread each subtask gets
     * @param timeout  how long a request may run before its scope is cancelled
     */
    public RequestCounter(Work work, int maxUnits, ThreadKind threads, Duration timeout, Log log, SubtaskGauge gauge) {
        this(work, maxUnits, threads, timeout, log, gauge, Recorder.off());
    }

    /** @param live where subtasks report to the live view */
    public RequestCounter(Work work, int maxUnits, ThreadKind threads, Duration timeout, Log log, SubtaskGauge gauge,
                          Recorder live) {
        if (maxUnits < 1) {
            throw new IllegalArgumentException("max units must be 1 or more, got " + maxUnits);
        }
        this.work = Objects.requireNonNull(work, "work");
        this.maxUnits = maxUnits;
        this.threads = Objects.requireNonNull(threads, "threads");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.log = Objects.requireNonNull(log, "log");
        this.gauge = Objects.requireNonNull(gauge, "gauge");
        this.live = Objects.requireNonNull(live, "live");
    }

    /**
     * Counts from {@code request.start()}, one subtask per increment.
     *
     * @param name  names the scope and its threads, e.g. {@code conn-3/req-2}: a JSON thread dump shows the scope
     *              under this name with its subtasks' threads
     * @param draws where each subtask's number of units comes from
     * @return start + increments, with timings
     * @throws InterruptedException if the calling thread is interrupted while it waits (its connection was
     *                              cancelled); the scope is then closed, which cancels every subtask and waits for
     *                              them to stop
     * @throws StructuredTaskScope.TimeoutException if the request ran longer than the timeout; its subtasks were
     *                                              cancelled
     * @throws StructuredTaskScope.FailedException  if a subtask failed; its siblings were cancelled
     */
    public Tally count(String name, Request.Count request, RandomGenerator draws) throws InterruptedException {
        AtomicLong counter = new AtomicLong(request.start());
        long began = System.nanoTime();

        // The scope is the request. allSuccessfulOrThrow: wait for every subtask, but if one fails, cancel the
        // others at once (there is no point finishing a count whose answer can no longer be right). withTimeout:
        // when the time is up, the scope is cancelled and join() throws TimeoutException.
        try (var scope = StructuredTaskScope.open(
                Joiner.<Increment.Report>allSuccessfulOrThrow(),
                config -> config.withName(name)
                        .withThreadFactory(threads.factory(name + "/increment-"))
                        .withTimeout(timeout))) {

            for (int index = 1; index <= request.increments(); index++) {
                // Units are drawn here, in the owner thread, in fork order: with a fixed seed the draws repeat,
                // however the subtasks happen to be scheduled.
                int units = 1 + draws.nextInt(maxUnits);
                // fork() starts a new thread at once: a virtual thread costs about as much as a small object.
                scope.fork(new Increment(name, index, units, work, counter, log, gauge, live));
            }

            // join() waits for all subtasks to finish (or for the first failure, or the timeout). Everything a
            // subtask did happens-before join() returns, so the counter below is final, not a value in flight.
            List<Increment.Report> reports = scope.join().map(Subtask::get).toList();

            Duration wall = Duration.ofNanos(System.nanoTime() - began);
            Duration work = reports.stream().map(report -> report.effort().busy()).reduce(Duration.ZERO, Duration::plus);
            long result = counter.get();
            if (result != request.expectedResult()) {
                throw new IllegalStateException(name + ": counted to " + result + ", expected "
                        + request.expectedResult());
            }
            return new Tally(result, reports.size(), wall, work);
        }
        // Leaving the try block closes the scope. After a normal join there is nothing left to wait for; after an
        // exception, close() cancels the subtasks still running and waits until every one of them has stopped:
        // no thread of this request outlives this method.
    }
}
