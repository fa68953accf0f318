package dev.loomcounter.client;

import dev.loomcounter.protocol.ErrorCode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The result of a load run.
 *
 * @param firstProblem the first wrong answer, error reply or failed connection, in words; null if none
 */
record LoadSummary(int expected, long ok, long wrong, Map<ErrorCode, Long> errors, long connectionFailures,
                   String firstProblem, Duration elapsed, Latencies latencies) {

    long errorReplies() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every request sent, every answer right: nothing to explain. */
    boolean clean() {
        return ok == expected && wrong == 0 && errorReplies() == 0 && connectionFailures == 0;
    }

    double requestsPerSecond() {
        return (ok + wrong + errorReplies()) / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }

    void print(PrintWriter out) {
        out.printf("requests ok:          %,d of %,d%n", ok, expected);
        out.printf("wrong answers:        %,d%n", wrong);
        out.printf("ERR replies:          %,d%s%n", errorReplies(), errors.isEmpty() ? "" : errors.entrySet().stream()
                .map(entry -> entry.getKey().wireName() + " " + entry.getValue())
                .collect(Collectors.joining(", ", " (", ")")));
        out.printf("connection failures:  %,d%n", connectionFailures);
        out.printf("elapsed:              %.2f s%n", elapsed.toNanos() / 1e9);
        out.printf("throughput:           %,.0f requests/s%n", requestsPerSecond());
        out.printf("latency:              %s%n", latencies);
        if (firstProblem != null) {
            out.println("first problem:        " + firstProblem);
        }
        out.println(clean() ? "all answers verified" : "FAILED: not every request got its right answer");
    }
}
