package dev.loomcounter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loomcounter.settings.ThreadKind;
import dev.loomcounter.testing.TestClient;
import dev.loomcounter.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server keeps serving while it counts: a small request on a second connection is answered in a small fraction
 * of the time a large CPU-bound request takes. Proved by ratio, not by wall-clock, so a slow machine cannot fail it.
 */
class FairnessTest {

    /** Small units (about a quarter of a millisecond each) in slices of a twentieth of a millisecond. */
    private static final String[] SMALL_WORK = {"--unit-iterations", "200000", "--slice-iterations", "50000",
            "--max-units", "10"};
    private static final int LARGE = 3_000;

    record Timings(Duration large, Duration smallZero, Duration smallFive) {
        double ratio() {
            return (double) smallFive.toNanos() / large.toNanos();
        }
    }

    private static Timings measure(ThreadKind kind, String fairness) throws Exception {
        String[] flags = concat(SMALL_WORK, "--threads", kind.name().toLowerCase(), "--fairness", fairness);
        try (TestServer server = TestServer.start(flags);
             TestClient large = TestClient.connect(server.port())) {
            long began = System.nanoTime();
            CompletableFuture<String> largeAnswer = CompletableFuture.supplyAsync(() -> {
                try {
                    return large.ask("0 " + LARGE);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable));
            // The large request is under way when its subtasks have started working.
            await().atMost(Duration.ofSeconds(30)).until(() -> server.subtasks().running() > 0);

            long connecting = System.nanoTime();
            try (TestClient small = TestClient.connect(server.port())) {
                assertThat(small.ask("0 0")).isEqualTo("0");
                long zeroDone = System.nanoTime();
                assertThat(small.ask("1 5")).isEqualTo("6");
                long fiveDone = System.nanoTime();
                assertThat(largeAnswer.get()).as("the large request is exact too").isEqualTo(Integer.toString(LARGE));
                long largeDone = System.nanoTime();
                return new Timings(Duration.ofNanos(largeDone - began), Duration.ofNanos(zeroDone - connecting),
                        Duration.ofNanos(fiveDone - zeroDone));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void aSmallRequestIsNotStuckBehindALargeOne(ThreadKind kind) throws Exception {
        Timings timings = measure(kind, "on");
        System.out.printf("fairness on, %s threads: %s%n", kind, timings);
        assertThat(timings.large()).as("the large request did not finish before the small ones started")
                .isGreaterThan(timings.smallZero().plus(timings.smallFive()));
        assertThat(timings.smallZero().toNanos()).as("0 0 while %s runs", timings)
                .isLessThan(timings.large().toNanos() / 10);
        assertThat(timings.ratio()).as("1 5 against the large request: %s", timings).isLessThan(0.2);
    }

    /**
     * With fairness off, virtual threads show the starvation: on this project's 2-core machine the small request
     * waited for most of the large one (see the README for figures). How long exactly depends on the JDK's
     * scheduler, so this test reports the wait rather than asserting it; the responsiveness benchmark measures it.
     * What must hold either way: every answer exact.
     */
    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void withoutFairnessAnswersStayExactAndTheWaitIsReported(ThreadKind kind) throws Exception {
        Timings timings = measure(kind, "off");
        System.out.printf("fairness off, %s threads: %s%n", kind, timings);
        assertThat(timings.large()).isPositive();
    }

    /** Many more spinning subtasks than carriers, and still the reset is noticed and every subtask stops. */
    @ParameterizedTest
    @EnumSource(ThreadKind.class)
    void aHangUpCancelsAFloodOfSpinningSubtasks(ThreadKind kind) throws Exception {
        try (TestServer server = TestServer.start("--threads", kind.name().toLowerCase(),
                "--unit-iterations", Long.toString(Long.MAX_VALUE / 100))) {
            TestClient client = TestClient.connect(server.port());
            client.send("0 500\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> server.subtasks().running() == 500);
            client.abort();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> server.subtasks().running() == 0 && server.openConnections() == 0);
            assertThat(server.subtasks().cancelled()).isEqualTo(500);
            client.close();
        }
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
