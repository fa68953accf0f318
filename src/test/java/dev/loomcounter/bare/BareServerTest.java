package dev.loomcounter.bare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loomcounter.testing.Patience;
import dev.loomcounter.testing.TestClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The first code the course shows runs as its header says, and answers as the real server does. */
class BareServerTest {

    @Test
    void countsTwoPlusTenAndSaysByeOnStop() throws Exception {
        int port;
        try (var free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        // A virtual thread is a daemon: the server's endless accept loop ends with the test run.
        Thread.ofVirtual().start(() -> {
            try {
                BareServer.main(new String[] {String.valueOf(port)});
            } catch (Exception e) {
                // the port was taken meanwhile: the client below says so
            }
        });
        AtomicReference<TestClient> connected = new AtomicReference<>();
        await().atMost(Patience.PATIENCE).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> connected.compareAndSet(null, new TestClient(port)));
        try (TestClient client = connected.get()) {
            assertThat(client.ask("2 10")).isEqualTo("12");
            assertThat(client.ask("0 1000")).isEqualTo("1000");
            assertThat(client.ask("STOP")).isEqualTo("BYE");
            assertThat(client.readLine()).as("the connection ends after BYE").isNull();
        }
    }
}
