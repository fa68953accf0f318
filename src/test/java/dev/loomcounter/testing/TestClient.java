package dev.loomcounter.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A raw protocol client for tests: it sends exactly the bytes it is given and reads lines with a timeout.
 */
public final class TestClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    public TestClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        // A reply that never comes fails the test instead of hanging it.
        socket.setSoTimeout((int) Patience.PATIENCE.toMillis());
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    public TestClient send(String text) throws IOException {
        return sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public TestClient sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next line, or null once the server has closed the connection. */
    public String readLine() throws IOException {
        return in.readLine();
    }

    public String ask(String line) throws IOException {
        send(line + "\n");
        return readLine();
    }

    /** Half-closes: the server reads end-of-stream, as when a client process exits. */
    public void hangUp() throws IOException {
        socket.shutdownOutput();
    }

    /** Closes abruptly: the server's next read fails with a reset instead of seeing a clean end of stream. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
