package dev.loomcounter.client.load;

import dev.loomcounter.client.link.Answer;
import dev.loomcounter.client.link.LinkException;
import dev.loomcounter.protocol.ErrorCode;
import dev.loomcounter.protocol.Reply;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.settings.Durations;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the load client's connections found, counted as they go: every connection's threads record into this one
 * object at the same time, so every count is a {@link LongAdder} or an atomic, and the latencies go to an HdrHistogram
 * {@link Recorder}, whose recording is wait-free: no lock anywhere on the measuring path.
 */
final class LoadTally {

    /** The replies of one part of the run, warm-up or measured. */
    private static final class Judged {
        private final LongAdder ok = new LongAdder();
        private final LongAdder wrong = new LongAdder();
        private final LongAdder timeouts = new LongAdder();
        private final Map<ErrorCode, LongAdder> errors = new EnumMap<>(ErrorCode.class);

        Judged() {
            // Filled before any thread sees the map, and never changed after: reading it from many threads is safe.
            for (ErrorCode code : ErrorCode.values()) {
                errors.put(code, new LongAdder());
            }
        }

        Counts counts() {
            Map<ErrorCode, Long> errorCounts = new EnumMap<>(ErrorCode.class);
            errors.forEach((code, count) -> errorCounts.put(code, count.sum()));
            return new Counts(ok.sum(), wrong.sum(), timeouts.sum(), errorCounts);
        }
    }

    private final Judged warmup = new Judged();
    private final Judged measured = new Judged();
    private final LongAdder connectionFailures = new LongAdder();
    /** The first problem of the run, in words: one example says more than a count. */
    private final AtomicReference<String> firstProblem = new AtomicReference<>();
    /** Nanoseconds, three significant digits (0.1% error), any range: the histogram grows as it needs. */
    private final Recorder latencies = new Recorder(3);
    /** In an open-loop run, each reply's latency from its send rather than its due time: wrk2's "uncorrected". */
    private final Recorder fromSend = new Recorder(3);

    /**
     * Counts one answer; its latency ({@link Answer#roundTripNanos()}) goes into the histogram only if it was
     * {@code measured}, not warm-up.
     */
    void record(Request.Count request, Answer answer, boolean measure) {
        Judged part = measure ? measured : warmup;
        switch (answer) {
            case Answer.Right right -> part.ok.increment();
            case Answer.Wrong(long value, long expected, long roundTrip) -> {
                part.wrong.increment();
                noteProblem("wrong answer: sent '" + request.start() + " " + request.increments() + "', got " + value
                        + ", expected " + expected);
            }
            case Answer.Refused(Reply.Error error, long roundTrip) -> {
                part.errors.get(error.code()).increment();
                noteProblem("sent '" + request.start() + " " + request.increments() + "', got " + error.toLine());
            }
        }
        if (measure) {
            latencies.recordValue(Math.max(0, answer.roundTripNanos()));
        }
    }

    /** An open-loop reply's latency from its actual send; {@link #record} has its latency from the due time. */
    void recordFromSend(long nanos) {
        fromSend.recordValue(Math.max(0, nanos));
    }

    /** Counts a request that got no reply within {@code timeout}; it has no latency to record. */
    void timedOut(Request.Count request, boolean measure, Duration timeout) {
        (measure ? measured : warmup).timeouts.increment();
        noteProblem("sent '" + request.start() + " " + request.increments() + "', no reply within "
                + Durations.format(timeout));
    }

    void connectionFailed(LinkException e) {
        connectionFailures.increment();
        noteProblem(e.getMessage());
    }

    /** The recorder the latency timeline samples, once a second. */
    Recorder latencies() {
        return latencies;
    }

    /** Every latency from the send recorded so far, once, at the end of an open-loop run. */
    Histogram fromSend() {
        return fromSend.getIntervalHistogram();
    }

    /** Replies so far, warm-up included, right or wrong: for the progress display. */
    long replies() {
        return warmup.counts().replies() + measured.counts().replies();
    }

    /** Wrong answers, ERR replies and failed connections so far. */
    long problems() {
        return warmup.counts().problems() + measured.counts().problems() + connectionFailures.sum();
    }

    Counts warmupCounts() {
        return warmup.counts();
    }

    Counts measuredCounts() {
        return measured.counts();
    }

    long connectionFailures() {
        return connectionFailures.sum();
    }

    String firstProblem() {
        return firstProblem.get();
    }

    private void noteProblem(String problem) {
        firstProblem.compareAndSet(null, problem);
    }
}
