package dev.loomcounter.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcounter.testing.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lesson 0.5, the original line by line: what its {@code recv(1024)} would have got wrong, sent to this server on a
 * real socket, and a client that leaves by closing its side instead of saying STOP. The lesson's bash lines run as
 * written in {@code .ci/lessons.sh}; here the same bytes go through a socket of the test's own.
 */
class OriginalLessonTest {

    @Test
    void piecesOfALineAndLinesInOneWriteAreAnsweredAsLinesAndACloseEndsTheSessionInOrder() throws Exception {
        LessonsDoc.shows("printf '2 1' >&3; sleep 1; printf '0\\n' >&3\n");
        LessonsDoc.shows("printf '2 10\\n5 3\\n' >&3\n");
        LessonsDoc.shows("exec 3>&-\n");
        LessonsDoc.shows("./mvnw -q compile exec:exec@server -Dargs=\"--quiet\"\n");
        try (ServerProcess server = ServerProcess.start(List.of("--quiet"))) {
            LessonsDoc.shows("conn-1 closed: client finished sending after 3 requests (0 open)");
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                socket.setSoTimeout((int) ServerProcess.PATIENCE.toMillis());
                // Nagle's delay off: each write leaves as a segment of its own, the first without its line end.
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                send(out, "2 1");
                send(out, "0\n");
                assertThat(in.readLine()).isEqualTo("12");
                // Two requests in one write: two lines, two answers in order.
                send(out, "2 10\n5 3\n");
                assertThat(in.readLine()).isEqualTo("12");
                assertThat(in.readLine()).isEqualTo("8");
                // The original's client: no STOP, it closes its side.
                socket.shutdownOutput();
                assertThat(in.readLine()).as("the server closes once everything is answered").isNull();
                // The connection's name, by its port: on a shared machine another process may have connected first.
                String opened = server.awaitLog("opened from /127.0.0.1:" + socket.getLocalPort() + " ");
                String name = opened.substring(opened.indexOf(" conn-") + 1).split(" ")[0];
                server.awaitLog(name + " closed: client finished sending after 3 requests");
            }
        }
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
