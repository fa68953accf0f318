package dev.loomcounter.live;

import dev.loomcounter.log.Log;
import dev.loomcounter.server.CountingServer;
import dev.loomcounter.settings.Fairness;
import dev.loomcounter.settings.ServerSettings;
import dev.loomcounter.settings.ThreadKind;
import dev.loomcounter.settings.WorkKind;
import dev.loomcounter.settings.WorkSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

/** An in-process counting server with its live view, both on free ports. */
final class LiveTestServer implements AutoCloseable {

    private final CountingServer server;
    private final LiveServer view;

    private LiveTestServer(CountingServer server, LiveServer view) {
        this.server = server;
        this.view = view;
    }

    /** Spin work, {@code unitIterations} a unit, 1 to {@code maxUnits} units a subtask. */
    static LiveTestServer spinning(long unitIterations, int maxUnits, Fairness fairness) throws IOException {
        return start(new WorkSettings(WorkKind.SPIN, unitIterations, 200_000, Duration.ofMillis(1), maxUnits,
                OptionalLong.of(7)), fairness);
    }

    /** Sleep work: subtasks that stay in flight for {@code unit} each unit, without using a core. */
    static LiveTestServer sleeping(Duration unit, int maxUnits) throws IOException {
        return start(new WorkSettings(WorkKind.SLEEP, 0, 1, unit, maxUnits, OptionalLong.of(7)), Fairness.ON);
    }

    private static LiveTestServer start(WorkSettings work, Fairness fairness) throws IOException {
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, 100, 10_000, 1_024, Duration.ofMinutes(2),
                Duration.ofMinutes(2), Duration.ofSeconds(1), work, ThreadKind.VIRTUAL, fairness, true);
        CountingServer server = CountingServer.start(settings, Log.silent());
        try {
            return new LiveTestServer(server, LiveServer.start(server.live(), "127.0.0.1", 0));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    int port() {
        return server.port();
    }

    String url(String path) {
        return view.url() + path.substring(1);
    }

    Recorder recorder() {
        return server.live();
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
