package dev.loomcounter.counting;

import dev.loomcounter.live.Recorder;
import dev.loomcounter.log.Log;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One subtask of a request: do its units of work, timed, then add one to the request's counter.
 *
 * <p>It runs in its own thread, forked by the request's scope. Its result (a {@link Report}) is read by the owner
 * after {@code join()}; its one side effect, the increment, is made on an {@link AtomicLong} because many increments
 * of the same request run at the same time.
 */
final class Increment implements Callable<Increment.Report> {

    /** What one increment did, for the request's summary. */
    record Report(int index, int units, Duration elapsed, Effort effort, long counterSeen) {
    }

    private final String requestName;
    private final int index;
    private final int units;
    private final Work work;
    private final AtomicLong counter;
    private final Log log;
    private final SubtaskGauge gauge;
    private final Recorder live;

    Increment(String requestName, int index, int units, Work work, AtomicLong counter, Log log, SubtaskGauge gauge,
              Recorder live) {
        this.requestName = requestName;
        this.index = index;
        this.units = units;
        this.work = work;
        this.counter = counter;
        this.log = log;
        this.gauge = gauge;
        this.live = live;
    }

    @Override
    public Report call() throws InterruptedException {
        gauge.onStart();
        live.subtaskStarted(requestName, index, Thread.currentThread());
        boolean done = false;
        long began = System.nanoTime();
        // Thread.currentThread() of a virtual thread prints its carrier too: compare the two lines of one
        // increment, and you may see it start on one carrier and finish on another.
        log.detail(() -> requestName + " increment " + index + " starts " + units + " units on " + Thread.currentThread());
        try {
            Effort effort = work.perform(units, requestName);
            long counterSeen = counter.incrementAndGet();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - began);
            log.detail(() -> requestName + " increment " + index + " done in " + elapsed.toMillis() + " ms ("
                    + effort.busy().toMillis() + " ms of work), counter now " + counterSeen + ", on "
                    + Thread.currentThread());
            done = true;
            return new Report(index, units, elapsed, effort, counterSeen);
        } catch (InterruptedException e) {
            // The scope was cancelled (a failed sibling, a timeout, a client gone, a shutdown): stop here, without
            // incrementing. Rethrowing lets the scope record this subtask as failed, not as successful.
            log.detail(() -> requestName + " increment " + index + " cancelled after "
                    + Duration.ofNanos(System.nanoTime() - began).toMillis() + " ms on " + Thread.currentThread());
            throw e;
        } finally {
            if (done) {
                gauge.onComplete();
                live.subtaskDone(requestName, index, Thread.currentThread());
            } else {
                gauge.onCancel();
                live.subtaskCancelled(requestName, index, Thread.currentThread());
            }
        }
    }
}
