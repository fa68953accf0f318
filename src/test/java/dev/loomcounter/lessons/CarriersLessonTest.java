package dev.loomcounter.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.testing.ServerProcess;
import dev.loomcounter.testing.TestClient;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Lesson 2: virtual threads and their carriers, read in the server's log. */
class CarriersLessonTest {

    private static final String ARGS = "--seed 3";
    /** The lesson's JDK_JAVA_OPTIONS for one carrier and no spare one. */
    private static final String ONE_CARRIER =
            "-Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1";
    private static final int INCREMENTS = 20;

    /** {@code VirtualThread[#38,conn-1/req-1/increment-2]/runnable@ForkJoinPool-1-worker-1}. */
    private static final Pattern INCREMENT_THREAD = Pattern.compile(
            "VirtualThread\\[#(\\d+),conn-1/req-1/increment-(\\d+)]/runnable@(ForkJoinPool-1-worker-\\d+)");

    private record Seen(Set<String> virtualThreads, Set<String> carriers) {
    }

    /** Asks {@code 2 20} and reads, from the log, which virtual threads ran the increments and on which carriers. */
    private static Seen countTwentyOn(ServerProcess server) throws Exception {
        LessonsDoc.shows("2 " + INCREMENTS);
        try (TestClient client = TestClient.connect(server.port())) {
            assertThat(client.ask("2 " + INCREMENTS)).isEqualTo(Integer.toString(2 + INCREMENTS));
        }
        List<Matcher> lines = server.awaitLogs("conn-1/req-1 increment", 2 * INCREMENTS).stream()
                .map(INCREMENT_THREAD::matcher)
                .filter(Matcher::find)
                .toList();
        assertThat(lines).as("a start and a done line per increment, each naming its thread and carrier")
                .hasSize(2 * INCREMENTS);
        return new Seen(lines.stream().map(m -> m.group(1) + "," + m.group(2)).collect(Collectors.toSet()),
                lines.stream().map(m -> m.group(3)).collect(Collectors.toSet()));
    }

    @Test
    void eachIncrementIsItsOwnVirtualThreadMountedOnACarrier() throws Exception {
        try (ServerProcess server = ServerProcess.start(LessonsDoc.serverArgs(ARGS))) {
            Seen seen = countTwentyOn(server);
            // One new virtual thread per increment, its number and its name the same in its start and done lines.
            assertThat(seen.virtualThreads()).hasSize(INCREMENTS);
            // How many carriers is up to the scheduler (one per core, plus spares while a carrier is blocked in a
            // write to the log); the lesson only says they are few, so that is what is checked.
            assertThat(seen.carriers()).isNotEmpty().hasSizeLessThan(INCREMENTS);
        }
    }

    @Test
    void withParallelismAndMaxPoolSizeOneEveryVirtualThreadRunsOnWorker1() throws Exception {
        LessonsDoc.shows("JDK_JAVA_OPTIONS='" + ONE_CARRIER + "' ./mvnw -q compile exec:exec@server -Dargs=\""
                + ARGS + "\"");
        try (ServerProcess server = ServerProcess.start(List.of(), ONE_CARRIER, LessonsDoc.serverArgs(ARGS))) {
            // The java launcher says it read the variable: proof that the flags reached the server's JVM.
            assertThat(server.log()).first().asString().startsWith("NOTE: Picked up JDK_JAVA_OPTIONS: " + ONE_CARRIER);
            Seen seen = countTwentyOn(server);
            assertThat(seen.virtualThreads()).hasSize(INCREMENTS);
            assertThat(seen.carriers()).containsExactly("ForkJoinPool-1-worker-1");
        }
    }
}
