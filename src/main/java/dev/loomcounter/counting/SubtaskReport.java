package dev.loomcounter.counting;

import dev.loomcounter.log.Log;
import java.time.Duration;

/**
 * What a subtask reports as it runs, in one place: the gauge that counts subtasks, the request's watcher (the live
 * view), and the log. Every call is made on the subtask's own thread, so that a log line's
 * {@code Thread.currentThread()} names the carrier the subtask is mounted on at that moment.
 */
final class SubtaskReport {

    private final SubtaskGauge gauge;
    private final Log log;

    SubtaskReport(SubtaskGauge gauge, Log log) {
        this.gauge = gauge;
        this.log = log;
    }

    /** The subtask begins its {@code units} of work; returns when it began, for the lines that follow. */
    long started(RequestContext context, int index, int units) {
        long started = System.nanoTime();
        gauge.onStart();
        context.watcher().subtaskStarted(context.request(), index);
        // Thread.currentThread() of a virtual thread shows its carrier too: compare the lines of one increment, and
        // you may see it start on one carrier and finish on another.
        log.detail(() -> context.request() + " increment " + index + " starts " + units + " units on "
                + Thread.currentThread());
        return started;
    }

    /** The subtask worked for {@code busy} and incremented the counter to {@code now}. */
    void done(RequestContext context, int index, long started, Duration busy, long now) {
        gauge.onComplete();
        context.watcher().subtaskDone(context.request(), index);
        log.detail(() -> context.request() + " increment " + index + " done in " + millisSince(started) + " ms ("
                + busy.toMillis() + " ms of work), counter now " + now + ", on " + Thread.currentThread());
    }

    /**
     * The subtask stops without counting: cancelled ({@code why} is an {@link InterruptedException}: a failed sibling,
     * the timeout, the client gone, a shutdown), or failed. A failure is always logged, since it is rare and matters.
     */
    void stopped(RequestContext context, int index, long started, Throwable why) {
        gauge.onStop();
        context.watcher().subtaskCancelled(context.request(), index);
        if (why instanceof InterruptedException) {
            log.detail(() -> context.request() + " increment " + index + " cancelled after " + millisSince(started)
                    + " ms on " + Thread.currentThread());
        } else {
            log.info(context.request() + " increment " + index + " failed after " + millisSince(started) + " ms on "
                    + Thread.currentThread() + ": " + why);
        }
    }

    private static long millisSince(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
    }
}
