package dev.loomcounter.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.testing.Cli;
import dev.loomcounter.testing.RawHttp;
import dev.loomcounter.testing.ServerProcess;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lesson 15, step 1, as written: the server with sleep work, its live view, and the load client's three connections.
 * The page itself is for the reader's eyes (the live view's own tests drive it in a browser); here the client's summary
 * is the one the lesson quotes, and the page and the gauges it draws are served while the load runs.
 */
class LiveLessonTest {

    @Test
    void step1ThreeClientsAreAnsweredWhileTheLiveViewServesThePageAndItsGauges() throws Exception {
        String clientArgs = "--clients 3 --requests 20 --increments 5..40";
        LessonsDoc.shows("./mvnw -q compile exec:exec@client -Dargs=\"" + clientArgs + "\"");
        int webPort;
        try (ServerSocket free = new ServerSocket(0)) {
            webPort = free.getLocalPort(); // the lesson's 7080 may be taken on a shared machine
        }
        List<String> args = new ArrayList<>(LessonsDoc.serverArgs("--work sleep --quiet"));
        args.addAll(List.of("--web-port", Integer.toString(webPort)));
        try (ServerProcess server = ServerProcess.start(args)) {
            server.awaitLog("live view: http://127.0.0.1:" + webPort + "/");
            Cli.Run load = Cli.run(("client --port " + server.port() + " " + clientArgs).split(" "));
            assertThat(load.exitCode()).as(load.out() + load.err()).isZero();
            assertThat(load.out()).contains(LessonsDoc.shows("3 connections x 20 requests (increments 5..40) to "),
                    LessonsDoc.shows("requests ok:          60 of 60"), LessonsDoc.shows("all answers verified"));
            RawHttp.Response page = RawHttp.exchange(webPort,
                    "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + webPort + "\r\nConnection: close\r\n\r\n");
            assertThat(page.status()).isEqualTo(200);
            RawHttp.Response metrics = RawHttp.exchange(webPort,
                    "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:" + webPort + "\r\nConnection: close\r\n\r\n");
            assertThat(new String(metrics.body(), StandardCharsets.UTF_8))
                    .contains("jvm_threads_virtual_live_threads{scheduling_status=\"mounted\"}",
                            "jvm_threads_virtual_parallelism_threads");
        }
    }
}
