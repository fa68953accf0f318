package dev.loomcounter.client.load;

import static dev.loomcounter.client.console.ConsoleSessionTest.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.loomcounter.Main;
import dev.loomcounter.ExitCode;
import dev.loomcounter.protocol.ErrorCode;
import dev.loomcounter.testing.TestServer;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
                List.of("--requests", "5", "--warmup", "soon"));
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
                line -> assertThat(line).startsWith("client: --requests M and --duration D both end a load run"),
                line -> assertThat(line).startsWith("client: --json only applies to load mode"),
                line -> assertThat(line).startsWith("client: Invalid value for option '--rate': 'fast'"),
                line -> assertThat(line).startsWith("client: Invalid value for option '--warmup': 'soon'"));
    }

    private int client(String... flags) {
        String[] args = new String[flags.length + 1];
        args[0] = "client";
        System.arraycopy(flags, 0, args, 1, flags.length);
        return Main.commandLine(writer(out), writer(err)).execute(args);
    }
}
