package dev.loomcounter.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loomcounter.BuildVersion;
import dev.loomcounter.live.LiveEndpointsTest.Prometheus;
import dev.loomcounter.testing.RawHttp;
import dev.loomcounter.testing.ServerProcess;
import dev.loomcounter.testing.TestClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} as a JVM dashboard and Prometheus's own tools read it: the standard families, the virtual-thread
 * scheduler's under Micrometer's names, pinning, and the server's own, from a real server over HTTP.
 */
class MetricsFamiliesTest {

    /** What a Grafana JVM dashboard queries, beside the server's own families; each must be there, with a value. */
    private static final List<String> DASHBOARD_SAMPLES = List.of(
            "process_cpu_seconds_total",
            "process_open_fds",
            "process_max_fds",
            "process_resident_memory_bytes",
            "process_start_time_seconds",
            "jvm_memory_used_bytes{area=\"heap\"}",
            "jvm_memory_committed_bytes{area=\"nonheap\"}",
            "jvm_threads_current",
            "jvm_threads_daemon",
            "jvm_threads_peak",
            "jvm_threads_state{state=\"RUNNABLE\"}",
            "jvm_threads_virtual_parallelism_threads",
            "jvm_threads_virtual_pool_size_threads",
            "jvm_threads_virtual_live_threads{scheduling_status=\"mounted\"}",
            "jvm_threads_virtual_live_threads{scheduling_status=\"queued\"}",
            "jvm_threads_virtual_pinned_seconds_count",
            "jvm_threads_virtual_pinned_seconds_sum",
            "jvm_threads_virtual_submit_failed_total",
            "loomcounter_build_info{version=\"" + BuildVersion.version() + "\"}",
            "loomcounter_requests_total{outcome=\"answered\"}",
            "loomcounter_request_duration_seconds_count");

    @Test
    void aServerProcessExportsEveryFamilyAJvmDashboardReads() throws Exception {
        int webPort = freePort();
        try (ServerProcess server = ServerProcess.start(List.of("--web-port", Integer.toString(webPort)));
             TestClient client = TestClient.connect(server.port())) {
            server.awaitLog("live view: ");
            assertThat(client.ask("2 10")).isEqualTo("12");
            Map<String, Double> samples = Prometheus.parse(scrape(webPort));

            assertThat(samples).containsKeys(DASHBOARD_SAMPLES.toArray(String[]::new));
            // A family the GC names by collector: at least one collector, whatever the JVM chose.
            assertThat(samples.keySet()).anyMatch(key -> key.startsWith("jvm_gc_collection_seconds_count{gc=\""));
            assertThat(samples.keySet()).anyMatch(key -> key.startsWith("jvm_runtime_info{"));
            // The figures are the server process's own, not placeholders.
            assertThat(samples.get("process_open_fds")).isPositive();
            assertThat(samples.get("process_resident_memory_bytes")).isGreaterThan(1e6);
            assertThat(samples.get("process_start_time_seconds") * 1000)
                    .isBetween((double) ProcessHandle.of(server.pid()).orElseThrow().info().startInstant()
                            .orElseThrow().toEpochMilli() - 5_000, (double) System.currentTimeMillis());
            assertThat(samples.get("jvm_threads_virtual_parallelism_threads"))
                    .isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(samples.get("loomcounter_build_info{version=\"" + BuildVersion.version() + "\"}"))
                    .isEqualTo(1.0);
            assertThat(samples.get("loomcounter_requests_total{outcome=\"answered\"}")).isEqualTo(1.0);
        }
    }

    /**
     * Prometheus's own checker, where it is installed (Debian's {@code prometheus} package has it; see
     * docs/live-view.md for getting the binary alone). Without it this test is reported as skipped, never as passed;
     * the families themselves are checked above either way, by a strict parser of the format.
     */
    @Test
    void promtoolAcceptsTheWholeOutput(@TempDir Path dir) throws Exception {
        Optional<Path> promtool = promtool();
        Assumptions.assumeTrue(promtool.isPresent(),
                "promtool not found: set PROMTOOL or put it on PATH (apt-get download prometheus; dpkg -x)");
        try (LiveTestServer server = LiveTestServer.start("--max-units", "1");
             TestClient client = server.connect()) {
            assertThat(client.ask("1 1")).isEqualTo("2");
            Path text = dir.resolve("metrics.txt");
            Files.writeString(text, server.get("/metrics").body());
            Process check = new ProcessBuilder(promtool.get().toString(), "check", "metrics")
                    .redirectInput(text.toFile()).redirectErrorStream(true).start();
            String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue()).as("promtool check metrics said:%n%s", said).isZero();
            assertThat(said).as("promtool's lint findings").isBlank();
        }
    }

    @Test
    void aVirtualThreadThatBlocksInAClassInitializerIsCountedAsPinned() throws Exception {
        try (LiveTestServer server = LiveTestServer.start("--max-units", "1")) {
            // The first scrape starts the pinning stream.
            Map<String, Double> before = Prometheus.parse(server.get("/metrics").body());
            double pinsBefore = before.get("jvm_threads_virtual_pinned_seconds_count");
            double secondsBefore = before.get("jvm_threads_virtual_pinned_seconds_sum");

            // On JDK 25 a monitor no longer pins (JEP 491); a class initializer still does: the VM runs <clinit>
            // with its own frames under it, so the waiting thread cannot leave its carrier.
            Thread.ofVirtual().name("pinned-in-clinit").start(BlocksWhileInitializing::touch).join();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, Double> after = Prometheus.parse(server.get("/metrics").body());
                assertThat(after.get("jvm_threads_virtual_pinned_seconds_count")).isGreaterThan(pinsBefore);
                assertThat(after.get("jvm_threads_virtual_pinned_seconds_sum") - secondsBefore)
                        .isGreaterThanOrEqualTo(BlocksWhileInitializing.BLOCK.toMillis() / 1e3 * 0.9);
            });
        }
    }

    @Test
    void thePinningStreamRunsFromTheFirstScrapeUntilTheViewCloses() throws Exception {
        long before = runningRecordings();
        LiveTestServer server = LiveTestServer.start("--max-units", "1");
        try {
            assertThat(runningRecordings()).as("before the first scrape").isEqualTo(before);
            assertThat(server.get("/metrics").statusCode()).isEqualTo(200);
            assertThat(runningRecordings()).as("after the first scrape").isEqualTo(before + 1);
            server.get("/metrics");
            assertThat(runningRecordings()).as("after the second scrape: still one").isEqualTo(before + 1);
        } finally {
            server.close();
        }
        assertThat(runningRecordings()).as("after the view closed").isEqualTo(before);
    }

    /** Its initializer parks its thread for {@link #BLOCK}: a timed wait on a latch that nobody counts down. */
    private static final class BlocksWhileInitializing {

        static final Duration BLOCK = Duration.ofMillis(200);

        static {
            try {
                new CountDownLatch(1).await(BLOCK.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void touch() {
        }
    }

    private static long runningRecordings() {
        return FlightRecorder.getFlightRecorder().getRecordings().stream().map(Recording::getState)
                .filter(RecordingState.RUNNING::equals).count();
    }

    private static String scrape(int webPort) throws IOException {
        RawHttp.Response response = RawHttp.exchange(webPort,
                "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(response.status()).as("GET /metrics").isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return response.text();
    }

    private static Optional<Path> promtool() {
        String given = System.getenv("PROMTOOL");
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given));
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(folder -> !folder.isEmpty())
                .map(folder -> Path.of(folder, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
