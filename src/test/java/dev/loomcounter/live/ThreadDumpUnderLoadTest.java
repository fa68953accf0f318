package dev.loomcounter.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loomcounter.testing.ServerProcess;
import dev.loomcounter.testing.TestClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The live view's thread dump on a loaded server process: fifty connections counting as fast as they can while the
 * page's {@code /threads} is asked for in a loop. The JDK's own JSON dump crashed such a JVM on JDK 25.0.3 within a
 * few dumps; the server's own dump must not, and must not starve the counting either.
 */
class ThreadDumpUnderLoadTest {

    private static final int CONNECTIONS = 50;
    private static final Pattern TIME = Pattern.compile("\"time\": \"([^\"]+)\"");
    private static final Duration PHASE = Duration.ofSeconds(4);
    private static final Duration PRESS_EVERY = Duration.ofMillis(250);
    private static final int HAMMERS = 4;
    private static final int HAMMERED_DUMPS = 300;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aLoadedServerSurvivesHundredsOfDumpsAndKeepsCounting() throws Exception {
        int webPort = freePort();
        try (ServerProcess server = ServerProcess.start(List.of("-XX:ErrorFile=/tmp/hs_err_pid%p.log"), "",
                List.of("--unit-iterations", "1", "--quiet", "--web-port", Integer.toString(webPort)));
             HttpClient http = HttpClient.newHttpClient()) {
            server.awaitLog("live view: ");
            URI threads = URI.create("http://127.0.0.1:" + webPort + "/threads");
            LongAdder answered = new LongAdder();
            LongAdder wrong = new LongAdder();
            AtomicBoolean counting = new AtomicBoolean(true);
            double[] withoutDumps = new double[2];
            double[] withDumps = new double[2];
            Set<String> dumpTimes = ConcurrentHashMap.newKeySet();
            LongAdder dumpsServed = new LongAdder();

            try (var scope = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow())) {
                for (int i = 0; i < CONNECTIONS; i++) {
                    long seed = i;
                    scope.fork(() -> count(server.port(), new SplittableRandom(seed), counting, answered, wrong));
                }
                // Warm-up: the JIT compiles the serving path before anything is measured.
                rate(answered, PHASE, () -> false);
                // Alternate without and with a student pressing the page's button every quarter of a second (a dump
                // is taken once a second, the others are served again): a ratio from one run holds where absolute
                // rates do not.
                for (int round = 0; round < 2; round++) {
                    withoutDumps[round] = rate(answered, PHASE, () -> false);
                    AtomicBoolean pressing = new AtomicBoolean(true);
                    try (var button = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow())) {
                        button.fork(() -> {
                            while (pressing.get()) {
                                dumpTimes.add(dumpTime(dump(http, threads, server)));
                                Thread.sleep(PRESS_EVERY); // a person's pace, not synchronization
                            }
                            return null;
                        });
                        withDumps[round] = rate(answered, PHASE, () -> false);
                        pressing.set(false);
                        button.join();
                    }
                }
                // Then hundreds of requests for a dump, as fast as four clients can ask.
                try (var hammer = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow())) {
                    for (int i = 0; i < HAMMERS; i++) {
                        hammer.fork(() -> {
                            while (dumpsServed.sum() < HAMMERED_DUMPS) {
                                dumpTimes.add(dumpTime(dump(http, threads, server)));
                                dumpsServed.increment();
                            }
                            return null;
                        });
                    }
                    hammer.join();
                }
                counting.set(false);
                scope.join();
            }

            assertThat(server.isAlive()).as("the server survived the dumps").isTrue();
            assertThat(wrong.sum()).as("wrong answers").isZero();
            // Most answers come from the last dump taken; a fresh one is taken once the last is a second old.
            assertThat(dumpTimes).as("dumps really taken under load").hasSizeGreaterThanOrEqualTo(6);
            double ratio = (withDumps[0] + withDumps[1]) / (withoutDumps[0] + withoutDumps[1]);
            assertThat(ratio).as("requests/s with dumps %s against without %s", List.of(withDumps[0], withDumps[1]),
                    List.of(withoutDumps[0], withoutDumps[1])).isGreaterThanOrEqualTo(0.5);
            try (TestClient client = new TestClient(server.port())) {
                assertThat(client.ask("2 10")).isEqualTo("12");
            }
        }
    }

    /** {@code GET /threads}: its status checked, its body as text. */
    private static String dump(HttpClient http, URI threads, ServerProcess server) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(threads)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("no answer from /threads, the server " + (server.isAlive() ? "is up"
                    : "died: its crash report is /tmp/hs_err_pid" + server.pid() + ".log"), e);
        }
    }

    /** The dump's own time stamp, read without parsing the whole dump: the test must not take the server's CPU. */
    private static String dumpTime(String json) {
        Matcher time = TIME.matcher(json);
        assertThat(time.find()).as("a time in %s", json.substring(0, Math.min(200, json.length()))).isTrue();
        return time.group(1);
    }

    /** One closed-loop connection: a request, its answer checked, the next, until told to stop. */
    private static Void count(int port, SplittableRandom random, AtomicBoolean counting, LongAdder answered,
                              LongAdder wrong) throws IOException {
        try (TestClient client = new TestClient(port)) {
            while (counting.get()) {
                long start = random.nextLong(-1_000_000_000L, 1_000_000_000L);
                String answer = client.ask(start + " 1");
                if (!String.valueOf(start + 1).equals(answer)) {
                    wrong.increment();
                }
                answered.increment();
            }
        }
        return null;
    }

    /** Requests answered a second over at least {@code length}, and for as long as {@code more} says. */
    private static double rate(LongAdder answered, Duration length, BooleanSupplier more) {
        long before = answered.sum();
        long began = System.nanoTime();
        await().pollDelay(length).pollInterval(Duration.ofMillis(50)).atMost(Duration.ofMinutes(2))
                .until(() -> !more.getAsBoolean());
        double rate = (answered.sum() - before) * 1e9 / (System.nanoTime() - began);
        System.out.printf("%.0f requests/s%n", rate);
        return rate;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
