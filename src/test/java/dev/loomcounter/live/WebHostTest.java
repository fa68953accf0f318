package dev.loomcounter.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loomcounter.testing.TestServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the live view listens, and the address it prints: one a browser accepts. */
class WebHostTest {

    @Test
    void hostOnEveryInterfaceLeavesThePageOnLoopback() throws Exception {
        int webPort = freePort();
        try (TestServer server = TestServer.start("--host", "0.0.0.0", "--web-port", Integer.toString(webPort))) {
            assertThat(server.awaitLog("live view: ")).endsWith("live view: http://127.0.0.1:" + webPort + "/");
            assertThat(status(URI.create("http://127.0.0.1:" + webPort + "/"))).isEqualTo(200);
            // From this machine's other address, the counting port answers and the page's port is closed.
            Optional<InetAddress> other = nonLoopbackAddress();
            assumeTrue(other.isPresent(), "this machine has no address but loopback");
            try (Socket counting = new Socket(other.get(), server.port())) {
                assertThat(counting.isConnected()).isTrue();
            }
            assertThatThrownBy(() -> new Socket(other.get(), webPort).close()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aWildcardWebHostPrintsALoopbackUrlAndSaysItListensEverywhere() throws Exception {
        int webPort = freePort();
        try (TestServer server = TestServer.start("--web-host", "0.0.0.0", "--web-port", Integer.toString(webPort))) {
            String line = server.awaitLog("live view: ");
            assertThat(line).endsWith("live view: http://127.0.0.1:" + webPort + "/ (listening on all interfaces)");
            assertThat(status(URI.create("http://127.0.0.1:" + webPort + "/"))).isEqualTo(200);
        }
    }

    @Test
    void anIpv6AddressIsPrintedInBrackets() throws Exception {
        assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback on this machine");
        try (TestServer counting = TestServer.start();
             LiveServer view = LiveServer.start(counting.server().live(), "::1", 0, note -> { })) {
            URI url = URI.create(view.url());
            assertThat(url.getHost()).startsWith("[").endsWith("]");
            assertThat(url.getPort()).isEqualTo(view.port());
            assertThat(status(url)).isEqualTo(200);
        }
        try (TestServer server = TestServer.start("--host", "::1")) {
            assertThat(server.awaitLog("listening on ")).contains("listening on [0:0:0:0:0:0:0:1]:" + server.port());
        }
    }

    private static int status(URI uri) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    /** A port free a moment ago; {@code --web-port 0} means no live view, so the test picks one itself. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        return NetworkInterface.networkInterfaces().filter(WebHostTest::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()
                        && !address.isLinkLocalAddress())
                .findFirst();
    }

    private static boolean isUp(NetworkInterface network) {
        try {
            return network.isUp();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean ipv6LoopbackWorks() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
