package dev.loomcounter.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.loomcounter.testing.ServerProcess;
import dev.loomcounter.testing.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lesson 4: the scope tree in a JSON thread dump, taken while a request is in flight. */
class ScopeTreeLessonTest {

    /** Every increment sleeps one unit of a minute: the request stays in flight while the dump is taken. */
    private static final String ARGS = "--work sleep --unit-millis 60000 --max-units 1";

    private record DumpedThread(String tid, String name, boolean virtual) {
    }

    /** A thread container: a scope shows up as one, named after the scope, e.g. {@code conn-1/req-1/...@1a2b}. */
    private record Container(String scope, String id, String parent, String owner, List<DumpedThread> threads) {

        List<String> threadNames() {
            return threads.stream().map(DumpedThread::name).toList();
        }
    }

    @Test
    void theDumpShowsServerConnectionAndRequestScopesWithTheIncrementThreads(@TempDir Path dir) throws Exception {
        LessonsDoc.shows("0 3");
        LessonsDoc.shows("jcmd\" \"$PID\" Thread.dump_to_file -format=json dump.json");
        try (ServerProcess server = ServerProcess.start(LessonsDoc.serverArgs(ARGS));
             TestClient client = new TestClient(server.port())) {
            client.send("0 3\n");
            server.awaitLogs("conn-1/req-1 increment", 3);

            Path dump = dir.resolve("dump.json");
            ServerProcess.runTool("jcmd", Long.toString(server.pid()), "Thread.dump_to_file", "-format=json",
                    dump.toString());
            List<Container> containers = containers(Files.readString(dump, StandardCharsets.UTF_8));

            Container serverScope = scope(containers, "server");
            Container connection = scope(containers, "conn-1");
            Container request = scope(containers, "conn-1/req-1");
            // The tree: server > conn-1 > conn-1/req-1, each scope owned by a thread of the scope above it.
            assertThat(connection.parent()).isEqualTo(serverScope.id());
            assertThat(request.parent()).isEqualTo(connection.id());
            assertThat(serverScope.threadNames()).containsExactly("conn-1");
            // The connection's own thread reads; it forked one worker, which answers the request.
            assertThat(connection.threadNames()).containsExactly("conn-1/worker-1");
            assertThat(request.owner()).as("the worker owns the request's scope")
                    .isEqualTo(tidOf(connection, "conn-1/worker-1"));
            assertThat(request.threadNames()).containsExactlyInAnyOrder(
                    "conn-1/req-1/increment-1", "conn-1/req-1/increment-2", "conn-1/req-1/increment-3");
            assertThat(request.threads()).allMatch(DumpedThread::virtual);
            // The carriers are in a container of their own, outside the tree: platform threads, few of them.
            assertThat(scope(containers, "ForkJoinPool-1").threadNames()).contains("ForkJoinPool-1-worker-1");
        }
    }

    private static String tidOf(Container container, String threadName) {
        return container.threads().stream().filter(thread -> thread.name().equals(threadName)).findFirst()
                .orElseThrow().tid();
    }

    private static Container scope(List<Container> containers, String scope) {
        List<Container> found = containers.stream().filter(container -> container.scope().equals(scope)).toList();
        assertThat(found).as("containers named %s", scope).hasSize(1);
        return found.getFirst();
    }

    /** threadDump.threadContainers[], as records. */
    private static List<Container> containers(String json) {
        JsonObject dump = JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("threadDump");
        return dump.getAsJsonArray("threadContainers").asList().stream().map(JsonElement::getAsJsonObject)
                .map(container -> {
                    String id = container.get("container").getAsString();
                    // "conn-1/req-1/jdk.internal.misc.ThreadFlock$ThreadContainerImpl@7e1593e9": the scope's name,
                    // then the container's identity.
                    String scope = id.contains("/") ? id.substring(0, id.lastIndexOf('/')) : id;
                    List<DumpedThread> threads = container.getAsJsonArray("threads").asList().stream()
                            .map(JsonElement::getAsJsonObject)
                            .map(thread -> new DumpedThread(thread.get("tid").getAsString(),
                                    thread.get("name").getAsString(),
                                    thread.has("virtual") && thread.get("virtual").getAsBoolean()))
                            .toList();
                    return new Container(scope, id, text(container, "parent"), text(container, "owner"), threads);
                }).toList();
    }

    /** A field that the root container lacks (it has no parent, no owner). */
    private static String text(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }
}
