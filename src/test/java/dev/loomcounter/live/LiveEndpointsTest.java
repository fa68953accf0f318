package dev.loomcounter.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.loomcounter.testing.TestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The live view's endpoints over real HTTP: metrics, thread dump, event stream, and what it refuses. */
class LiveEndpointsTest {

    /** Subtasks that stay in flight, each one asleep for a minute, without using a core. */
    private static final String[] SLEEP_A_MINUTE = {"--work", "sleep", "--unit-millis", "60000", "--max-units", "1"};

    @Test
    void metricsAreStrictPrometheusTextAndCountTheRequests() throws Exception {
        try (LiveTestServer server = LiveTestServer.start("--fairness", "on");
             TestClient client = server.connect()) {
            assertThat(client.ask("1 5")).isEqualTo("6");
            assertThat(client.ask("0 0")).isEqualTo("0");

            HttpResponse<String> response = server.get("/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            Map<String, Double> samples = Prometheus.parse(response.body());
            assertThat(samples).containsEntry("loomcounter_requests_total{outcome=\"answered\"}", 2.0)
                    .containsEntry("loomcounter_requests_total{outcome=\"cancelled\"}", 0.0)
                    .containsEntry("loomcounter_connections_opened_total", 1.0)
                    .containsEntry("loomcounter_connections_open", 1.0)
                    .containsEntry("loomcounter_subtasks_completed_total", 5.0)
                    .containsEntry("loomcounter_request_duration_seconds_count", 2.0)
                    .containsEntry("loomcounter_request_duration_seconds_bucket{le=\"+Inf\"}", 2.0)
                    .containsKey("jvm_threads_virtual_parallelism_threads");
            assertThat(samples.get("jvm_threads_virtual_parallelism_threads"))
                    .isEqualTo(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void threadsIsAJsonDumpOfTheServersScopeTree() throws Exception {
        try (LiveTestServer server = LiveTestServer.start(SLEEP_A_MINUTE);
             TestClient client = server.connect()) {
            client.send("0 2\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> server.recorder().metrics().connectionsOpen() == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> containers(server).containsKey("conn-1/req-1"));
            HttpResponse<String> response = server.get("/threads");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
            Map<String, JsonObject> containers = DumpJson.containers(response.body());

            // The tree jcmd's JSON dump shows: server > conn-1 > conn-1/req-1, each scope owned by the thread that
            // opened it, each thread with its stack.
            assertThat(containers.get("server").get("parent").getAsString()).isEqualTo("<root>");
            assertThat(containers.get("conn-1").get("parent").getAsString()).isEqualTo("server");
            assertThat(containers.get("conn-1/req-1").get("parent").getAsString()).isEqualTo("conn-1");
            assertThat(DumpJson.names(containers.get("server"))).containsExactly("conn-1");
            assertThat(DumpJson.names(containers.get("conn-1"))).containsExactly("conn-1/worker-1");
            assertThat(DumpJson.names(containers.get("conn-1/req-1")))
                    .containsExactlyInAnyOrder("conn-1/req-1/increment-1", "conn-1/req-1/increment-2");
            assertThat(containers.get("conn-1").get("owner").getAsString())
                    .isEqualTo(DumpJson.tid(containers.get("server"), "conn-1"));
            assertThat(containers.get("conn-1/req-1").get("owner").getAsString())
                    .isEqualTo(DumpJson.tid(containers.get("conn-1"), "conn-1/worker-1"));
            JsonObject increment = containers.get("conn-1/req-1").getAsJsonArray("threads").get(0).getAsJsonObject();
            assertThat(increment.get("virtual").getAsBoolean()).isTrue();
            assertThat(increment.get("state").getAsString()).isEqualTo("TIMED_WAITING");
            assertThat(increment.getAsJsonArray("stack").toString()).contains("dev.loomcounter.counting.Work$Sleep.perform");
            assertThat(containers).containsKey("<root>");
        }
    }

    @Test
    void unknownPathsAre404AndOtherMethodsAre405() throws Exception {
        try (LiveTestServer server = LiveTestServer.start("--max-units", "1", "--fairness", "off")) {
            assertThat(server.get("/").statusCode()).isEqualTo(200);
            assertThat(server.get("/").body()).contains("<canvas id=\"timeline\">");
            assertThat(server.get("/live.js").headers().firstValue("Content-Type"))
                    .hasValue("text/javascript; charset=utf-8");
            assertThat(server.get("/favicon.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");
            assertThat(server.get("/nothing-here").statusCode()).isEqualTo(404);
            assertThat(server.get("/metrics/extra").statusCode()).isEqualTo(404);
            for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS")) {
                HttpResponse<String> refused = server.send(HttpRequest.newBuilder(URI.create(server.url("/metrics")))
                        .method(method, HttpRequest.BodyPublishers.noBody()));
                assertThat(refused.statusCode()).as(method).isEqualTo(405);
                assertThat(refused.headers().firstValue("Allow")).hasValue("GET, HEAD");
            }
            // A request with content is refused before its method is looked at: this server reads no bodies.
            HttpResponse<String> withBody = server.send(HttpRequest.newBuilder(URI.create(server.url("/metrics")))
                    .POST(HttpRequest.BodyPublishers.ofString("x")));
            assertThat(withBody.statusCode()).isEqualTo(413);
        }
    }

    @Test
    void theStreamSaysHelloThenSendsBatchesWithTheEventsOfARequest() throws Exception {
        try (LiveTestServer server = LiveTestServer.start("--max-units", "1", "--fairness", "off");
             Socket page = new Socket("127.0.0.1", server.webPort())) {
            assertThat(server.recorder().isWatched()).as("watched with no page open").isFalse();
            page.setSoTimeout(20_000);
            page.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + server.webPort() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            BufferedReader lines = new BufferedReader(new InputStreamReader(page.getInputStream(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String hello = untilStartsWith(lines, "data: ");
            assertThat(hello).contains("\"subtasksHoldCarriers\":true").contains("fairness off");
            await().atMost(Duration.ofSeconds(30)).until(server.recorder()::isWatched);

            try (TestClient client = server.connect()) {
                assertThat(client.ask("3 4")).isEqualTo("7");
            }
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("[\"cc\"")) {
                seen.append(untilStartsWith(lines, "data: "));
            }
            String events = seen.toString();
            assertThat(events).contains("[\"co\",").contains("\"conn-1\"]")
                    .contains("\"conn-1/req-1\",\"3\",4]")
                    .contains("[\"sd\",").contains("\"conn-1/req-1\",4,\"ForkJoinPool-")
                    .contains("\"conn-1/req-1\",\"answered\",");
        }
    }

    @Test
    void aPageThatStopsReadingCostsTheServerNothingButDroppedBatches() throws Exception {
        try (LiveTestServer server = LiveTestServer.start("--max-units", "1", "--fairness", "off");
             Socket stalled = new Socket()) {
            // A browser that asks for the stream and then never reads a byte of it; a small window fills soon.
            stalled.setReceiveBufferSize(1_024);
            stalled.connect(new InetSocketAddress("127.0.0.1", server.webPort()));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /events HTTP/1.1\r\nHost: localhost:" + server.webPort() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(30)).until(server.recorder()::isWatched);

            try (TestClient client = server.connect()) {
                // Requests keep being answered while the page's queue fills up and overflows.
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    assertThat(client.ask("0 2000")).isEqualTo("2000");
                    return dropped(server) > 0;
                });
                assertThat(client.ask("1 1")).isEqualTo("2");
            }
        }
    }

    /** Batches the stalled page's own queue had no room for. */
    private static double dropped(LiveTestServer server) throws Exception {
        return Prometheus.parse(server.get("/metrics").body()).get("loomcounter_live_batches_dropped_total");
    }

    private static String untilStartsWith(BufferedReader lines, String prefix) throws Exception {
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("the stream ended before a line starting with " + prefix);
    }

    /** The thread containers of {@code /threads}, by name. */
    private static Map<String, JsonObject> containers(LiveTestServer server) throws Exception {
        return DumpJson.containers(server.get("/threads").body());
    }

    /** A strict reader of the Prometheus text format: every line a comment of a known kind or one sample. */
    static final class Prometheus {

        private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \\S.*");
        private static final Pattern TYPE = Pattern.compile(
                "# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
        private static final Pattern SAMPLE = Pattern.compile(
                "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"\\\\]*\"(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"\\\\]*\")*})? "
                        + "(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|NaN|[+-]Inf)");

        static Map<String, Double> parse(String text) {
            assertThat(text).endsWith("\n");
            Map<String, Double> samples = new LinkedHashMap<>();
            Map<String, String> types = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                Matcher help = HELP.matcher(line);
                Matcher type = TYPE.matcher(line);
                Matcher sample = SAMPLE.matcher(line);
                if (help.matches()) {
                    continue;
                }
                if (type.matches()) {
                    assertThat(types.put(type.group(1), type.group(2))).as("TYPE given twice: %s", line).isNull();
                    continue;
                }
                assertThat(sample.matches()).as("not a Prometheus sample line: '%s'", line).isTrue();
                String family = sample.group(1).replaceFirst("_(bucket|sum|count)$", "");
                assertThat(types).as("a TYPE line before '%s'", line)
                        .containsKey(types.containsKey(sample.group(1)) ? sample.group(1) : family);
                String key = sample.group(1) + (sample.group(2) == null ? "" : sample.group(2));
                assertThat(samples.put(key, Double.parseDouble(sample.group(3).replace("Inf", "Infinity"))))
                        .as("sample given twice: %s", key).isNull();
            }
            return samples;
        }
    }
}
