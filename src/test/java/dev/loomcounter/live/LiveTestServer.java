package dev.loomcounter.live;

import dev.loomcounter.live.http.WebLimits;
import dev.loomcounter.testing.TestClient;
import dev.loomcounter.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * An in-process counting server with its live view, both on free ports. The test server runs without a view of its
 * own ({@code --web-port 0} means none); the view here is started beside it on port 0, on the server's recorder.
 */
final class LiveTestServer implements AutoCloseable {

    private final TestServer server;
    private final LiveServer view;

    private LiveTestServer(TestServer server, LiveServer view) {
        this.server = server;
        this.view = view;
    }

    /** A server with {@link TestServer#TEST_FLAGS}, then {@code --quiet}, then {@code flags}, and its view. */
    static LiveTestServer start(String... flags) throws IOException {
        return start(WebLimits.DEFAULTS, flags);
    }

    /** As {@link #start(String...)}, the view with {@code limits}. */
    static LiveTestServer start(WebLimits limits, String... flags) throws IOException {
        String[] quiet = new String[flags.length + 1];
        quiet[0] = "--quiet";
        System.arraycopy(flags, 0, quiet, 1, flags.length);
        TestServer server = TestServer.start(quiet);
        try {
            return new LiveTestServer(server, LiveServer.start(server.server().live(), "127.0.0.1", 0, limits,
                    note -> { }));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The counting server's port. */
    int port() {
        return server.port();
    }

    /** The live view's port. */
    int webPort() {
        return view.port();
    }

    TestClient connect() throws IOException {
        return server.connect();
    }

    String url(String path) {
        return view.url() + path.substring(1);
    }

    /** Thread dumps the view really took. */
    long dumpsTaken() {
        return view.dumpsTaken();
    }

    Recorder recorder() {
        return server.server().live();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Override
    public void close() {
        view.close();
        server.close();
    }
}
