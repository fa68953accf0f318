package dev.loomcounter.client.load;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.loomcounter.BuildVersion;
import dev.loomcounter.ExitCode;
import dev.loomcounter.client.link.RoundTrip;
import dev.loomcounter.client.link.ServerAddress;
import dev.loomcounter.protocol.ErrorCode;
import dev.loomcounter.settings.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * The result of a load run.
 *
 * @param startedAt    when the first request was due, on the wall clock
 * @param interrupted  Ctrl-C ended the run early: the figures are those of the part that ran
 * @param measured     the replies of the measured part
 * @param warmup       the replies of the warm-up: checked, not measured
 * @param elapsed      the measured part, from the end of the warm-up to the last reply
 * @param latencies    every measured reply's latency, in nanoseconds; in open loop, from the time it was due
 * @param fromSend     open loop only: the same replies' latencies from their actual send (wrk2's "uncorrected")
 * @param timeline     each second's latencies, for the plot
 * @param firstProblem the first wrong answer, error reply, timeout or failed connection, in words; null if none
 */
record LoadSummary(LoadSettings settings, ServerAddress server, Instant startedAt, boolean interrupted,
                   Counts measured, Counts warmup, long connectionFailures, String firstProblem, Duration elapsed,
                   Histogram latencies, Optional<Histogram> fromSend, List<LatencyTimeline.Second> timeline) {

    /** The JSON's layout: raised when a field changes meaning or goes away, not when one is added. */
    static final int SCHEMA_VERSION = 2;

    /** The percentiles reported, as HdrHistogram names them, and as the JSON keys name them. */
    private static final Map<String, Double> PERCENTILES = percentiles();
    /** Keeps the fields that are null (a run without replies has no percentiles), and writes {@code <} as it is. */
    private static final Gson JSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private static Map<String, Double> percentiles() {
        Map<String, Double> percentiles = new LinkedHashMap<>();
        percentiles.put("p50", 50.0);
        percentiles.put("p75", 75.0);
        percentiles.put("p90", 90.0);
        percentiles.put("p95", 95.0);
        percentiles.put("p99", 99.0);
        percentiles.put("p99_9", 99.9);
        return percentiles;
    }

    /** Every request answered right, none failed: nothing to explain. */
    boolean clean() {
        boolean allAnswered = settings.expectedReplies().isEmpty()
                || measured.ok() == settings.expectedReplies().getAsLong();
        return allAnswered && measured.problems() == 0 && warmup.problems() == 0 && connectionFailures == 0;
    }

    /**
     * The share of the measured requests that failed, in percent: wrong answers, ERR replies and timeouts, each lost
     * connection counted as one more failed request. Empty if no request had an outcome.
     */
    OptionalDouble errorPercent() {
        long failed = measured.problems() + connectionFailures;
        long made = measured.outcomes() + connectionFailures;
        return made == 0 ? OptionalDouble.empty() : OptionalDouble.of(100.0 * failed / made);
    }

    List<Threshold.Verdict> verdicts() {
        return settings.thresholds().stream().map(threshold -> threshold.judge(latencies, errorPercent())).toList();
    }

    /**
     * Ctrl-C first: the run was cut short, whatever its figures. Then a wrong answer always fails the run, being a bug
     * in the server; so do ERR replies, timeouts and lost connections, unless an {@code errors} threshold says how
     * many are fine. Then the thresholds.
     */
    int exitCode() {
        if (interrupted) {
            return ExitCode.INTERRUPTED;
        }
        boolean wrongAnswers = measured.wrong() + warmup.wrong() > 0;
        if (wrongAnswers || !clean() && !settings.toleratesErrors()) {
            return ExitCode.FAILED;
        }
        return verdicts().stream().allMatch(Threshold.Verdict::passed) ? ExitCode.OK : ExitCode.THRESHOLD;
    }

    /** Measured replies a second, over the measured part: what the server achieved, whatever was asked. */
    double repliesPerSecond() {
        return measured.replies() / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }

    void print(PrintWriter out) {
        out.printf("requests ok:          %,d%s%n", measured.ok(), settings.expectedReplies().isPresent()
                ? String.format(" of %,d", settings.expectedReplies().getAsLong()) : "");
        out.printf("wrong answers:        %,d%n", measured.wrong());
        out.printf("ERR replies:          %,d%s%n", measured.errorReplies(), describe(measured.errors()));
        out.printf("timeouts:             %,d%s%n", measured.timeouts(), measured.timeouts() == 0 ? ""
                : " (no reply within " + Durations.format(settings.timeout()) + ")");
        out.printf("connection failures:  %,d%n", connectionFailures);
        if (!settings.warmup().isZero()) {
            out.printf("warm-up:              %,d replies checked, not measured; %,d problems%n", warmup.replies(),
                    warmup.problems());
        }
        out.printf("elapsed:              %.2f s%n", elapsed.toNanos() / 1e9);
        out.printf("throughput:           %,.0f requests/s%s%n", repliesPerSecond(),
                settings.pacing() instanceof LoadSettings.Pacing.OpenLoop(double perSecond)
                        ? String.format(" (asked for %,.0f)", perSecond) : "");
        out.printf("latency:              %s%n", latencyLine(latencies));
        fromSend.ifPresent(uncorrected -> out.printf("  from the send:      %s%n", latencyLine(uncorrected)));
        if (firstProblem != null) {
            out.println("first problem:        " + firstProblem);
        }
        for (Threshold.Verdict verdict : verdicts()) {
            out.printf("threshold %s: %s, %s%n", verdict.threshold().expression(),
                    verdict.value().isPresent() ? String.format("%.3f %s", verdict.value().getAsDouble(),
                            verdict.threshold().unit()) : "nothing measured",
                    verdict.passed() ? "kept" : "CROSSED");
        }
        out.println(switch (exitCode()) {
            case ExitCode.INTERRUPTED -> "INTERRUPTED: a partial run";
            case ExitCode.FAILED -> "FAILED: not every request got its right answer";
            case ExitCode.THRESHOLD -> "FAILED: " + (clean() ? "all answers verified, but " : "")
                    + "a threshold was crossed";
            default -> clean() ? "all answers verified" : "no wrong answer; the failed requests are within the "
                    + "errors threshold";
        });
    }

    private static String latencyLine(Histogram latencies) {
        if (latencies.getTotalCount() == 0) {
            return "no replies";
        }
        return PERCENTILES.entrySet().stream()
                .map(entry -> entry.getKey().replace('_', '.') + " "
                        + RoundTrip.format(latencies.getValueAtPercentile(entry.getValue())))
                .collect(Collectors.joining(", ")) + ", max " + RoundTrip.format(latencies.getMaxValue());
    }

    private static String describe(Map<ErrorCode, Long> errors) {
        return errors.values().stream().allMatch(count -> count == 0) ? "" : errors.entrySet().stream()
                .filter(entry -> entry.getValue() > 0)
                .map(entry -> entry.getKey().wireName() + " " + entry.getValue())
                .collect(Collectors.joining(", ", " (", ")"));
    }

    /** The whole result as one JSON object; docs/load-client.md lists its fields. */
    String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schema_version", SCHEMA_VERSION);
        json.put("tool", "loom-counter " + BuildVersion.version());
        json.put("started_at", startedAt.truncatedTo(ChronoUnit.MILLIS).toString());
        json.put("server", server.toString());
        json.put("settings", settingsJson());
        Map<String, Object> counts = countsJson(measured);
        counts.put("connection_failures", connectionFailures);
        json.put("counts", counts);
        json.put("warmup", countsJson(warmup));
        json.put("elapsed_s", elapsed.toNanos() / 1e9);
        json.put("rate_achieved", repliesPerSecond());
        json.put("latency_ms", latencyJson(latencies));
        json.put("latency_from_send_ms", fromSend.map(LoadSummary::latencyJson).orElse(null));
        json.put("error_percent", errorPercent().isPresent() ? errorPercent().getAsDouble() : null);
        json.put("thresholds", verdicts().stream().map(LoadSummary::verdictJson).toList());
        json.put("interrupted", interrupted);
        json.put("clean", clean());
        json.put("first_problem", firstProblem);
        json.put("exit_code", exitCode());
        return JSON.toJson(json);
    }

    private Map<String, Object> settingsJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", switch (settings.pacing()) {
            case LoadSettings.Pacing.ClosedLoop() -> "closed-loop";
            case LoadSettings.Pacing.OpenLoop(double perSecond) -> "open-loop";
        });
        json.put("clients", settings.clients());
        json.put("rate", settings.pacing() instanceof LoadSettings.Pacing.OpenLoop(double perSecond)
                ? perSecond : null);
        json.put("requests_per_client", settings.limit() instanceof LoadSettings.Limit.Requests(int perConnection)
                ? perConnection : null);
        json.put("requests_total", settings.limit() instanceof LoadSettings.Limit.Total(long total) ? total : null);
        json.put("duration_s", settings.limit() instanceof LoadSettings.Limit.Time(Duration length)
                ? length.toMillis() / 1e3 : null);
        json.put("warmup_s", settings.warmup().toMillis() / 1e3);
        json.put("increments_min", settings.increments().min());
        json.put("increments_max", settings.increments().max());
        json.put("seed", settings.seed().isPresent() ? settings.seed().getAsLong() : null);
        json.put("timeout_s", settings.timeout().toMillis() / 1e3);
        json.put("thresholds", settings.thresholds().stream().map(Threshold::expression).toList());
        return json;
    }

    private static Map<String, Object> countsJson(Counts counts) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ok", counts.ok());
        json.put("wrong", counts.wrong());
        json.put("timeouts", counts.timeouts());
        Map<String, Object> errors = new LinkedHashMap<>();
        counts.errors().forEach((code, count) -> errors.put(code.wireName(), count));
        json.put("errors", errors);
        return json;
    }

    private static Map<String, Object> latencyJson(Histogram latencies) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("count", latencies.getTotalCount());
        boolean any = latencies.getTotalCount() > 0;
        json.put("min", any ? millis(latencies.getMinValue()) : null);
        PERCENTILES.forEach((name, percentile) ->
                json.put(name, any ? millis(latencies.getValueAtPercentile(percentile)) : null));
        json.put("max", any ? millis(latencies.getMaxValue()) : null);
        json.put("mean", any ? Math.round(latencies.getMean() / 1e3) / 1e3 : null);
        json.put("stddev", any ? Math.round(latencies.getStdDeviation() / 1e3) / 1e3 : null);
        return json;
    }

    private static Map<String, Object> verdictJson(Threshold.Verdict verdict) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("threshold", verdict.threshold().expression());
        json.put("value", verdict.value().isPresent() ? verdict.value().getAsDouble() : null);
        json.put("unit", verdict.threshold().unit());
        json.put("passed", verdict.passed());
        return json;
    }

    /** Nanoseconds as milliseconds to the microsecond: the histogram's own precision is 0.1%. */
    private static double millis(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    /**
     * Writes the latency distribution in HdrHistogram's own percentile format ({@code .hgrm}), in milliseconds: the
     * file that HdrHistogram's plotter and other tools read.
     */
    void writeHistogram(Path file) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            latencies.outputPercentileDistribution(out, 1e6);
        }
    }
}
