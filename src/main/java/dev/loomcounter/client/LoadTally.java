package dev.loomcounter.client;

import dev.loomcounter.protocol.ErrorCode;
import dev.loomcounter.protocol.Reply;
import dev.loomcounter.protocol.Request;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the load client's connections found, counted as they go: every connection's thread records into this one
 * object at the same time, so every count is a {@link LongAdder} or an atomic, never a lock.
 */
final class LoadTally {

    private final LongAdder ok = new LongAdder();
    private final LongAdder wrong = new LongAdder();
    private final Map<ErrorCode, LongAdder> errors = new EnumMap<>(ErrorCode.class);
    private final LongAdder connectionFailures = new LongAdder();
    /** The first problem of the run, in words: one example says more than a count. */
    private final AtomicReference<String> firstProblem = new AtomicReference<>();
    /** Each reply's round trip; {@code replies} is both the next free slot and the number of replies so far. */
    private final long[] roundTrips;
    private final AtomicInteger replies = new AtomicInteger();

    LoadTally(int expectedReplies) {
        this.roundTrips = new long[expectedReplies];
        // Filled before any thread sees the map, and never changed after: reading it from many threads is safe.
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, new LongAdder());
        }
    }

    void record(Request.Count request, Answer answer) {
        switch (answer) {
            case Answer.Right right -> ok.increment();
            case Answer.Wrong(long value, long expected, long roundTrip) -> {
                wrong.increment();
                noteProblem("wrong answer: sent '" + request.start() + " " + request.increments() + "', got " + value
                        + ", expected " + expected);
            }
            case Answer.Refused(Reply.Error error, long roundTrip) -> {
                errors.get(error.code()).increment();
                noteProblem("sent '" + request.start() + " " + request.increments() + "', got " + error.toLine());
            }
        }
        roundTrips[replies.getAndIncrement()] = answer.roundTripNanos();
    }

    void connectionFailed(LinkException e) {
        connectionFailures.increment();
        noteProblem(e.getMessage());
    }

    /** Replies so far, right or wrong. */
    int replies() {
        return replies.get();
    }

    /** Wrong answers, ERR replies and failed connections so far. */
    long problems() {
        return wrong.sum() + errors.values().stream().mapToLong(LongAdder::sum).sum() + connectionFailures.sum();
    }

    /** Call once every connection has finished: the round trips are then all written, and visible to this thread. */
    LoadSummary summary(Duration elapsed) {
        Map<ErrorCode, Long> errorCounts = new EnumMap<>(ErrorCode.class);
        errors.forEach((code, count) -> {
            if (count.sum() > 0) {
                errorCounts.put(code, count.sum());
            }
        });
        return new LoadSummary(roundTrips.length, ok.sum(), wrong.sum(), Collections.unmodifiableMap(errorCounts),
                connectionFailures.sum(), firstProblem.get(), elapsed, Latencies.of(roundTrips, replies.get()));
    }

    private void noteProblem(String problem) {
        firstProblem.compareAndSet(null, problem);
    }
}
