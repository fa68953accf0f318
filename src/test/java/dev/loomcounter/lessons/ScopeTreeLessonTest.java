package dev.loomcounter.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.loomcounter.testing.ServerProcess;
import dev.loomcounter.testing.TestClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lesson 4: the scope tree in a JSON thread dump, the live view's and the JDK's, taken while a request is in flight. */
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
    void theLiveViewsDumpShowsServerConnectionAndRequestScopesWithTheIncrementThreads() throws Exception {
        LessonsDoc.shows("0 3");
        LessonsDoc.shows("curl -s http://127.0.0.1:7080/threads > dump.json");
        int webPort = freePort();
        List<String> args = new ArrayList<>(LessonsDoc.serverArgs(ARGS));
        args.addAll(List.of("--web-port", Integer.toString(webPort)));
        try (ServerProcess server = ServerProcess.start(args);
             TestClient client = new TestClient(server.port())) {
            client.send("0 3\n");
            server.awaitLogs("conn-1/req-1 increment", 3);
            assertTheTree(containers(ServerProcess.liveThreadDump(webPort)));
        }
    }

    /** The same tree from the JDK's own dump, taken from outside while the server is at rest, as the lesson says. */
    @Test
    void theJdksDumpOfAServerAtRestShowsTheSameTree(@TempDir Path dir) throws Exception {
        LessonsDoc.shows("jcmd\" \"$PID\" Thread.dump_to_file -format=json jdk-dump.json");
        try (ServerProcess server = ServerProcess.start(LessonsDoc.serverArgs(ARGS));
             TestClient client = new TestClient(server.port())) {
            client.send("0 3\n");
            server.awaitLogs("conn-1/req-1 increment", 3);
            assertTheTree(containers(server.threadDump(dir)));
        }
    }

    private static void assertTheTree(List<Container> containers) {
        Container serverScope = scope(containers, "server");
        Container connection = scope(containers, "conn-1");
        Container request = scope(containers, "conn-1/req-1");
        // The tree: server > conn-1 > conn-1/req-1, each scope owned by a thread of the scope above it.
        assertThat(connection.parent()).isEqualTo(serverScope.id());
        assertThat(request.parent()).isEqualTo(connection.id());
        assertThat(serverScope.threadNames()).containsExactly("conn-1");
        assertThat(connection.owner()).as("the connection's thread owns its scope")
                .isEqualTo(tidOf(serverScope, "conn-1"));
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
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
    private static List<Container> containers(JsonObject dump) {
        return dump.getAsJsonArray("threadContainers").asList().stream().map(JsonElement::getAsJsonObject)
                .map(container -> {
                    String id = container.get("container").getAsString();
                    // The JDK's "conn-1/req-1/jdk.internal.misc.ThreadFlock$ThreadContainerImpl@7e1593e9": the
                    // scope's name, then the container's identity; the server's own dump writes the name alone.
                    String scope = id.replaceFirst("/(jdk\\.internal|java\\.util)\\..*$", "");
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
