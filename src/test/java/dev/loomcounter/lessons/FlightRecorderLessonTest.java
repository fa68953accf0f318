package dev.loomcounter.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.testing.ServerProcess;
import dev.loomcounter.testing.TestClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lesson 9: watching virtual threads start and end with JDK Flight Recorder. */
class FlightRecorderLessonTest {

    /** The lesson's recording: the profile settings, plus the two virtual-thread events they leave off. */
    private static final String RECORDING = "-XX:StartFlightRecording:name=lesson,settings=profile,"
            + "jdk.VirtualThreadStart#enabled=true,jdk.VirtualThreadEnd#enabled=true";
    private static final String EVENTS = "jdk.VirtualThreadStart,jdk.VirtualThreadEnd,jdk.VirtualThreadPinned";

    @Test
    void neitherBuiltInSettingsFileRecordsVirtualThreadStartOrEnd() throws Exception {
        for (String name : List.of("default", "profile")) {
            Map<String, String> settings = Configuration.getConfiguration(name).getSettings();
            assertThat(settings).as(name + ".jfc")
                    .containsEntry("jdk.VirtualThreadStart#enabled", "false")
                    .containsEntry("jdk.VirtualThreadEnd#enabled", "false")
                    .containsEntry("jdk.VirtualThreadPinned#enabled", "true")
                    .containsEntry("jdk.VirtualThreadPinned#threshold", "20 ms");
        }
    }

    @Test
    void aRecordingShowsEachIncrementsVirtualThreadStartAndEnd(@TempDir Path dir) throws Exception {
        LessonsDoc.shows("java\" --enable-preview " + RECORDING + " -jar target/loom-counter.jar server --quiet");
        LessonsDoc.shows("jcmd\" \"$PID\" JFR.dump name=lesson filename=\"$PWD/rec.jfr\"");
        LessonsDoc.shows("jfr\" print --events " + EVENTS + " rec.jfr");
        LessonsDoc.shows("jfr\" summary rec.jfr");
        Path recording = dir.resolve("rec.jfr");
        try (ServerProcess server = ServerProcess.start(List.of(RECORDING), "", List.of("--quiet"))) {
            try (TestClient client = TestClient.connect(server.port())) {
                assertThat(client.ask(LessonsDoc.shows("2 10"))).isEqualTo("12");
            }
            // JFR.dump while the server runs; the file at exit is the next test.
            ServerProcess.runTool("jcmd", Long.toString(server.pid()), "JFR.dump", "name=lesson",
                    "filename=" + recording);
        }

        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        assertThat(incrementThreads(events, "jdk.VirtualThreadStart")).hasSize(10)
                .contains("conn-1/req-1/increment-1", "conn-1/req-1/increment-10");
        assertThat(incrementThreads(events, "jdk.VirtualThreadEnd")).hasSize(10);

        // The same file through the jfr tool, as the lesson reads it.
        assertThat(ServerProcess.runTool("jfr", "print", "--events", EVENTS, recording.toString()))
                .contains("jdk.VirtualThreadStart {", "jdk.VirtualThreadEnd {",
                        "eventThread = \"conn-1/req-1/increment-1\"");
        assertThat(ServerProcess.runTool("jfr", "summary", recording.toString()))
                .containsPattern("jdk\\.VirtualThreadStart +[1-9]\\d*")
                .containsPattern("jdk\\.VirtualThreadEnd +[1-9]\\d*");
    }

    @Test
    void aRecordingWithAFileNameIsWrittenWhenTheServerIsStoppedWithSigterm(@TempDir Path dir) throws Exception {
        String settings = ",settings=profile,jdk.VirtualThreadStart#enabled=true,jdk.VirtualThreadEnd#enabled=true";
        LessonsDoc.shows("java\" --enable-preview -XX:StartFlightRecording:filename=rec.jfr" + settings
                + " -jar target/loom-counter.jar server --quiet");
        LessonsDoc.shows("kill \"$PID\"");
        Path recording = dir.resolve("rec.jfr");
        try (ServerProcess server = ServerProcess.start(
                List.of("-XX:StartFlightRecording:filename=" + recording + settings), "", List.of("--quiet"))) {
            try (TestClient client = TestClient.connect(server.port())) {
                assertThat(client.ask("2 10")).isEqualTo("12");
            }
            server.signal("TERM");
            assertThat(server.awaitExit()).as("exit code after SIGTERM").isZero();
        }

        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        assertThat(incrementThreads(events, "jdk.VirtualThreadStart")).hasSize(10);
        assertThat(incrementThreads(events, "jdk.VirtualThreadEnd")).hasSize(10);
    }

    /** The names of the increment threads that the events of this type were recorded for. */
    private static List<String> incrementThreads(List<RecordedEvent> events, String type) {
        return events.stream()
                .filter(event -> event.getEventType().getName().equals(type))
                .map(event -> event.getThread().getJavaName())
                .filter(name -> name.startsWith("conn-1/req-1/increment-"))
                .toList();
    }
}
