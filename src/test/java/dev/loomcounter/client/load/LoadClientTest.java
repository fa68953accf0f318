package dev.loomcounter.client.load;

import static dev.loomcounter.client.console.ConsoleSessionTest.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.loomcounter.BuildVersion;
import dev.loomcounter.ExitCode;
import dev.loomcounter.cli.Main;
import dev.loomcounter.protocol.ErrorCode;
import dev.loomcounter.testing.TestServer;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load client as a user runs it, against real servers on free ports: JSON, files, open loop, bad input. */
class LoadClientTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path files;

    @Test
    void jsonIsTheOnlyThingOnStdoutAndHasEveryField() throws IOException {
        try (TestServer server = TestServer.start()) {
            int exitCode = client("--port", "" + server.port(), "--clients", "3", "--requests", "20",
                    "--increments", "0..5", "--seed", "11", "--json");

            assertThat(exitCode).isEqualTo(ExitCode.OK);
            assertThat(out.toString().lines()).hasSize(1);
            JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
            assertThat(json.get("server").getAsString()).isEqualTo("127.0.0.1:" + server.port());
            JsonObject settings = json.getAsJsonObject("settings");
            assertThat(settings.get("mode").getAsString()).isEqualTo("closed-loop");
            assertThat(settings.get("clients").getAsInt()).isEqualTo(3);
            assertThat(settings.get("requests_per_client").getAsInt()).isEqualTo(20);
            assertThat(settings.get("rate").isJsonNull()).isTrue();
            assertThat(settings.get("duration_s").isJsonNull()).isTrue();
            assertThat(settings.get("seed").getAsLong()).isEqualTo(11);
            JsonObject counts = json.getAsJsonObject("counts");
            assertThat(counts.get("ok").getAsLong()).isEqualTo(60);
            assertThat(counts.get("wrong").getAsLong()).isZero();
            assertThat(counts.get("connection_failures").getAsLong()).isZero();
            assertThat(counts.getAsJsonObject("errors").keySet()).containsExactlyElementsOf(
                    Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName).toList());
            assertThat(counts.getAsJsonObject("errors").get("overloaded").getAsLong()).isZero();
            assertThat(json.get("rate_achieved").getAsDouble()).isPositive();
            JsonObject latency = json.getAsJsonObject("latency_ms");
            assertThat(latency.get("count").getAsLong()).isEqualTo(60);
            List<Double> percentiles = List.of("p50", "p90", "p99", "p99_9", "max").stream()
                    .map(name -> latency.get(name).getAsDouble()).toList();
            assertThat(percentiles).isSorted().allMatch(millis -> millis > 0);
            assertThat(json.get("clean").getAsBoolean()).isTrue();
            assertThat(json.get("first_problem").isJsonNull()).isTrue();
            // The human summary went to stderr.
            assertThat(err.toString()).contains("requests ok:          60 of 60\n", "all answers verified\n");
        }
    }

    /** Every field a script may read, present and of its type: a schema test, not one of the figures. */
    @Test
    void jsonSchemaHasItsVersionTheRunsOriginAndEveryStatistic() throws IOException {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (TestServer server = TestServer.start()) {
            int exitCode = client("--port", "" + server.port(), "--clients", "2", "--requests", "10", "--json");

            assertThat(exitCode).isEqualTo(ExitCode.OK);
            JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
            assertThat(json.keySet()).containsExactly("schema_version", "tool", "started_at", "server", "settings",
                    "counts", "warmup", "elapsed_s", "rate_achieved", "latency_ms", "latency_from_send_ms",
                    "error_percent", "thresholds", "interrupted", "clean", "first_problem", "exit_code");
            assertThat(json.get("schema_version").getAsInt()).isEqualTo(2);
            assertThat(json.get("tool").getAsString()).isEqualTo("loom-counter " + BuildVersion.version());
            assertThat(Instant.parse(json.get("started_at").getAsString())).isBetween(before, Instant.now());
            JsonObject latency = json.getAsJsonObject("latency_ms");
            assertThat(latency.keySet()).containsExactly("count", "min", "p50", "p75", "p90", "p95", "p99", "p99_9",
                    "max", "mean", "stddev");
            List<Double> ordered = List.of("min", "p50", "p75", "p90", "p95", "p99", "p99_9", "max").stream()
                    .map(name -> latency.get(name).getAsDouble()).toList();
            assertThat(ordered).isSorted().allMatch(millis -> millis > 0);
            assertThat(latency.get("mean").getAsDouble()).isBetween(ordered.getFirst(), ordered.getLast());
            assertThat(latency.get("stddev").getAsDouble()).isNotNegative();
            // Closed loop measures from the send already: there is no second latency.
            assertThat(json.get("latency_from_send_ms").isJsonNull()).isTrue();
            assertThat(json.get("error_percent").getAsDouble()).isZero();
            assertThat(json.getAsJsonArray("thresholds")).isEmpty();
            assertThat(json.get("interrupted").getAsBoolean()).isFalse();
            assertThat(json.get("exit_code").getAsInt()).isEqualTo(ExitCode.OK);
            assertThat(json.getAsJsonObject("counts").get("timeouts").getAsLong()).isZero();
            JsonObject settings = json.getAsJsonObject("settings");
            assertThat(settings.get("timeout_s").getAsDouble()).isEqualTo(60.0);
            assertThat(settings.get("requests_total").isJsonNull()).isTrue();
            assertThat(settings.getAsJsonArray("thresholds")).isEmpty();
        }
    }

    /** A round trip over TCP takes more than a microsecond: max<1us cannot hold, errors<1% does. */
    @Test
    void aCrossedThresholdHasItsOwnExitCodeAndIsInTheJson() throws IOException {
        try (TestServer server = TestServer.start()) {
            int exitCode = client("--port", "" + server.port(), "--clients", "2", "--requests", "10",
                    "--threshold", "max<1us", "--threshold", "errors<1%", "--threshold", "p99<60s", "--json");

            assertThat(exitCode).isEqualTo(ExitCode.THRESHOLD);
            JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
            assertThat(json.get("clean").getAsBoolean()).isTrue();
            assertThat(json.get("exit_code").getAsInt()).isEqualTo(ExitCode.THRESHOLD);
            JsonArray thresholds = json.getAsJsonArray("thresholds");
            assertThat(thresholds).hasSize(3);
            JsonObject max = thresholds.get(0).getAsJsonObject();
            assertThat(max.get("threshold").getAsString()).isEqualTo("max<1us");
            assertThat(max.get("value").getAsDouble()).isGreaterThan(0.001);
            assertThat(max.get("unit").getAsString()).isEqualTo("ms");
            assertThat(max.get("passed").getAsBoolean()).isFalse();
            JsonObject errors = thresholds.get(1).getAsJsonObject();
            assertThat(errors.get("value").getAsDouble()).isZero();
            assertThat(errors.get("unit").getAsString()).isEqualTo("%");
            assertThat(errors.get("passed").getAsBoolean()).isTrue();
            assertThat(thresholds.get(2).getAsJsonObject().get("passed").getAsBoolean()).isTrue();
            assertThat(err.toString()).endsWith("FAILED: all answers verified, but a threshold was crossed\n");
            assertThat(err.toString()).contains("threshold max<1us: ", " ms, CROSSED\n",
                    "threshold errors<1%: 0.000 %, kept\n", "threshold p99<60s: ");
        }
    }

    /** ERR replies fail a run, unless an errors threshold says how many may: then it alone judges them. */
    @Test
    void anErrorsThresholdDecidesHowManyFailedRequestsPass() throws IOException {
        try (TestServer server = TestServer.start("--max-increments", "3")) {
            int tolerated = client("--port", "" + server.port(), "--requests", "4", "--increments", "4",
                    "--threshold", "errors<=100%");
            int crossed = client("--port", "" + server.port(), "--requests", "4", "--increments", "4",
                    "--threshold", "errors<50%");
            int noLimit = client("--port", "" + server.port(), "--requests", "4", "--increments", "4");

            assertThat(tolerated).isEqualTo(ExitCode.OK);
            assertThat(crossed).isEqualTo(ExitCode.THRESHOLD);
            assertThat(noLimit).isEqualTo(ExitCode.FAILED);
            assertThat(out.toString()).contains("threshold errors<=100%: 100.000 %, kept\n"
                            + "no wrong answer; the failed requests are within the errors threshold\n",
                    "threshold errors<50%: 100.000 %, CROSSED\nFAILED: a threshold was crossed\n");
        }
    }

    @Test
    void aTotalIsTheSumOverEveryConnection() throws IOException {
        try (TestServer server = TestServer.start()) {
            int exitCode = client("--port", "" + server.port(), "--clients", "3", "--total", "10", "--json");

            assertThat(exitCode).isEqualTo(ExitCode.OK);
            JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
            assertThat(json.getAsJsonObject("counts").get("ok").getAsLong()).isEqualTo(10);
            assertThat(json.getAsJsonObject("settings").get("requests_total").getAsLong()).isEqualTo(10);
            assertThat(json.getAsJsonObject("settings").get("requests_per_client").isJsonNull()).isTrue();
            assertThat(err.toString()).startsWith("3 connections, 10 requests in all (increments 0..10) to ");
        }
    }

    /** A server that reads and never answers: each closed-loop connection gives up on its request, and ends. */
    @Test
    void aStalledServerCannotHoldAClosedLoopRun() throws IOException {
        try (StallServer server = new StallServer()) {
            int exitCode = client("--port", "" + server.port(), "--clients", "2", "--requests", "5",
                    "--timeout", "300ms", "--json");

            assertThat(exitCode).isEqualTo(ExitCode.FAILED);
            JsonObject counts = JsonParser.parseString(out.toString()).getAsJsonObject().getAsJsonObject("counts");
            assertThat(counts.get("timeouts").getAsLong()).isEqualTo(2);
            assertThat(counts.get("ok").getAsLong()).isZero();
            assertThat(err.toString()).contains("timeouts:             2 (no reply within 300ms)\n",
                    "first problem:        sent '", "', no reply within 300ms\n");
        }
    }

    /**
     * In open loop every request sent on a connection whose oldest one timed out is lost with it: all count. At 100
     * requests/s the ten are sent within 90 ms, long before the first one's 2 s are up: all ten were in flight.
     */
    @Test
    void aStalledServerCannotHoldAnOpenLoopRun() throws IOException {
        try (StallServer server = new StallServer()) {
            int exitCode = client("--port", "" + server.port(), "--rate", "100", "--requests", "10",
                    "--timeout", "2s", "--json");

            assertThat(exitCode).isEqualTo(ExitCode.FAILED);
            JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
            JsonObject counts = json.getAsJsonObject("counts");
            assertThat(counts.get("timeouts").getAsLong()).isEqualTo(10);
            assertThat(counts.get("ok").getAsLong()).isZero();
            assertThat(json.get("error_percent").getAsDouble()).isEqualTo(100.0);
            assertThat(json.getAsJsonObject("latency_ms").get("count").getAsLong()).isZero();
            assertThat(server.received()).isLessThanOrEqualTo(10);
        }
    }

    @Test
    void errorRepliesAreCountedByCodeApartFromWrongAnswers() throws IOException {
        try (TestServer server = TestServer.start("--max-connections", "10", "--max-increments", "3")) {
            int exitCode = client("--port", "" + server.port(), "--clients", "2", "--requests", "4",
                    "--increments", "4", "--json");

            assertThat(exitCode).isEqualTo(ExitCode.FAILED);
            JsonObject counts = JsonParser.parseString(out.toString()).getAsJsonObject().getAsJsonObject("counts");
            assertThat(counts.get("ok").getAsLong()).isZero();
            assertThat(counts.get("wrong").getAsLong()).isZero();
            assertThat(counts.getAsJsonObject("errors").get("too-many-increments").getAsLong()).isEqualTo(8);
        }
    }

    @Test
    void histogramAndPlotFilesAreWritten() throws IOException {
        Path histogram = files.resolve("run.hgrm");
        Path plot = files.resolve("run.png");
        try (TestServer server = TestServer.start()) {
            int exitCode = client("--port", "" + server.port(), "--clients", "2", "--requests", "30",
                    "--histogram", histogram.toString(), "--plot", plot.toString());

            assertThat(exitCode).isEqualTo(ExitCode.OK);
        }
        // HdrHistogram's percentile format: a header, rows of value, percentile, count, 1/(1-p), then a summary.
        List<String> lines = Files.readAllLines(histogram);
        assertThat(lines.getFirst().split("\\s+")).contains("Value", "Percentile", "TotalCount");
        List<String[]> rows = lines.stream().skip(1).filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.strip().split("\\s+")).toList();
        assertThat(rows).isNotEmpty().allSatisfy(row -> {
            assertThat(Double.parseDouble(row[0])).isPositive();
            assertThat(Double.parseDouble(row[1])).isBetween(0.0, 1.0);
        });
        assertThat(rows.getLast()[2]).isEqualTo("60");
        assertThat(lines).anyMatch(line -> line.matches("#\\[Max\\s+=\\s+[0-9.]+, Total count\\s+=\\s+60]"));

        byte[] png = Files.readAllBytes(plot);
        assertThat(png.length).isGreaterThan(1_000);
        assertThat(Arrays.copyOf(png, PNG_SIGNATURE.length)).isEqualTo(PNG_SIGNATURE);
    }

    /**
     * The point of open loop: the server holds back its replies while the client's schedule goes on. 100 requests/s
     * on one connection, one due every 10 ms; the stall lasts until 20 requests have arrived, so at least 190 ms
     * after the first was due (none is sent early). Measured from the due time, the first request waited at least
     * 190 ms, and the first ten at least 100 ms each: a fifth of the 50, so even p90 shows the stall. Closed loop
     * would have sent one request, and reported one slow reply. Only lower bounds: nothing here can flake by being
     * slow.
     */
    @Test
    void openLoopLatencyIncludesTheWholeStall() throws Exception {
        try (StallServer server = new StallServer()) {
            CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(
                    () -> client("--port", "" + server.port(), "--rate", "100", "--requests", "50", "--json"),
                    runnable -> Thread.ofVirtual().start(runnable));
            await().atMost(30, TimeUnit.SECONDS).until(() -> server.received() >= 20);

            server.release();

            assertThat(exitCode.get(30, TimeUnit.SECONDS)).isEqualTo(ExitCode.OK);
            JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
            assertThat(json.getAsJsonObject("settings").get("mode").getAsString()).isEqualTo("open-loop");
            assertThat(json.getAsJsonObject("counts").get("ok").getAsLong()).isEqualTo(50);
            JsonObject latency = json.getAsJsonObject("latency_ms");
            assertThat(latency.get("max").getAsDouble()).isGreaterThanOrEqualTo(190);
            assertThat(latency.get("p90").getAsDouble()).isGreaterThanOrEqualTo(100);
            // wrk2's uncorrected figure, from the actual send: never more than from the due time, as none is sent
            // before it is due.
            JsonObject fromSend = json.getAsJsonObject("latency_from_send_ms");
            assertThat(fromSend.get("count").getAsLong()).isEqualTo(50);
            for (String name : List.of("min", "p50", "p90", "p99", "max", "mean")) {
                assertThat(fromSend.get(name).getAsDouble()).as(name).isLessThanOrEqualTo(latency.get(name).getAsDouble());
            }
        }
    }

    @Test
    void durationAndWarmupRunUntilTheirTimeAndKeepTheWarmupApart() throws IOException {
        try (TestServer server = TestServer.start()) {
            int exitCode = client("--port", "" + server.port(), "--clients", "2", "--duration", "2s",
                    "--warmup", "1s", "--increments", "0", "--json");

            assertThat(exitCode).isEqualTo(ExitCode.OK);
            JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
            assertThat(json.getAsJsonObject("settings").get("duration_s").getAsDouble()).isEqualTo(2.0);
            assertThat(json.getAsJsonObject("settings").get("warmup_s").getAsDouble()).isEqualTo(1.0);
            long measured = json.getAsJsonObject("counts").get("ok").getAsLong();
            assertThat(measured).isPositive();
            assertThat(json.getAsJsonObject("warmup").get("ok").getAsLong()).isPositive();
            assertThat(json.getAsJsonObject("latency_ms").get("count").getAsLong()).isEqualTo(measured);
            assertThat(json.get("elapsed_s").getAsDouble()).isGreaterThanOrEqualTo(2.0);
        }
    }

    @Test
    void badInputIsOneLineNamingItAndExitCodeTwo() {
        List<List<String>> commands = List.of(
                List.of("--requests", "5", "--rate", "0"),
                List.of("--duration", "-1s"),
                List.of("--duration", "0s"),
                List.of("--requests", "5", "--no-such-flag"),
                List.of("--hold", "1s", "--rate", "10"),
                List.of("--requests", "5", "--duration", "5s"),
                List.of("--json"),
                List.of("--requests", "5", "--rate", "fast"),
                List.of("--requests", "5", "--warmup", "soon"),
                List.of("--requests", "5", "--threshold", "p99=50ms"),
                List.of("--requests", "5", "--threshold", "errors<1ms"),
                List.of("--threshold", "p99<50ms"),
                List.of("--requests", "5", "--total", "20"),
                List.of("--total", "0"),
                List.of("--requests", "5", "--timeout", "0s"));
        for (List<String> flags : commands) {
            assertThat(client(flags.toArray(String[]::new))).as(String.join(" ", flags)).isEqualTo(ExitCode.USAGE);
        }
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).hasSize(commands.size()).satisfiesExactly(
                line -> assertThat(line).startsWith("client: --rate must be more than 0"),
                line -> assertThat(line).startsWith("client: Invalid value for option '--duration': '-1s'"),
                line -> assertThat(line).startsWith("client: --duration must be longer than 0, got 0ms"),
                line -> assertThat(line).startsWith("client: Unknown option: '--no-such-flag'"),
                line -> assertThat(line).startsWith("client: --rate only applies to load mode"),
                line -> assertThat(line).startsWith("client: --requests M, --total N and --duration D each end a load run"),
                line -> assertThat(line).startsWith("client: --json only applies to load mode"),
                line -> assertThat(line).startsWith("client: Invalid value for option '--rate': 'fast'"),
                line -> assertThat(line).startsWith("client: Invalid value for option '--warmup': 'soon'"),
                line -> assertThat(line).startsWith("client: Invalid value for option '--threshold' (LIMIT): 'p99=50ms' is not "
                        + "a threshold"),
                line -> assertThat(line).startsWith("client: Invalid value for option '--threshold' (LIMIT): 'errors<1ms': "
                        + "errors is a share, in %"),
                line -> assertThat(line).startsWith("client: --threshold only applies to load mode"),
                line -> assertThat(line).startsWith("client: --requests M, --total N and --duration D each end a load "
                        + "run: pick one"),
                line -> assertThat(line).startsWith("client: --total must be 1 or more, got 0"),
                line -> assertThat(line).startsWith("client: --timeout must be longer than 0, got 0ms"));
    }

    private int client(String... flags) {
        String[] args = new String[flags.length + 1];
        args[0] = "client";
        System.arraycopy(flags, 0, args, 1, flags.length);
        return Main.commandLine(writer(out), writer(err)).execute(args);
    }
}
