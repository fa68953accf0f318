package dev.loomcounter.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loomcounter.testing.TestClient;
import dev.loomcounter.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/** The server's own Flight Recorder events, read back from a recording of this JVM while a client counts. */
class FlightEventsTest {

    @Test
    void aRequestAndEachOfItsSubtasksAreRecorded() throws Exception {
        List<RecordedEvent> requests = new CopyOnWriteArrayList<>();
        List<RecordedEvent> subtasks = new CopyOnWriteArrayList<>();
        try (RecordingStream recording = new RecordingStream();
             TestServer server = TestServer.start();
             TestClient client = server.connect()) {
            recording.enable("dev.loomcounter.Request");
            recording.enable("dev.loomcounter.Subtask");
            recording.onEvent("dev.loomcounter.Request", requests::add);
            recording.onEvent("dev.loomcounter.Subtask", subtasks::add);
            recording.startAsync();

            assertThat(client.ask("1 3")).isEqualTo("4");

            // The stream delivers in batches, about once a second.
            await().atMost(Duration.ofSeconds(30)).until(() -> requests.size() == 1 && subtasks.size() == 3);
            RecordedEvent request = requests.getFirst();
            assertThat(request.getString("request")).isEqualTo("conn-1/req-1");
            assertThat(request.getString("outcome")).isEqualTo("answered");
            assertThat(request.getDuration("latency")).isPositive();
            assertThat(subtasks).allSatisfy(subtask -> {
                assertThat(subtask.getString("request")).isEqualTo("conn-1/req-1");
                assertThat(subtask.getBoolean("done")).isTrue();
                // Committed on the subtask's own virtual thread, which the recording names.
                assertThat(subtask.getThread().getJavaName()).startsWith("conn-1/req-1/increment-");
                assertThat(subtask.getThread().isVirtual()).isTrue();
            });
            assertThat(subtasks).extracting(subtask -> subtask.getInt("index")).containsExactlyInAnyOrder(1, 2, 3);
        }
    }
}
