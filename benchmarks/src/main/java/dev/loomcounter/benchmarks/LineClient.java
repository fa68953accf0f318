package dev.loomcounter.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One client connection to the counting server on loopback, speaking its line protocol: a request line out, a reply
 * line back. Used from the benchmark's own (platform) thread, so the client never waits for a carrier thread of the
 * server it measures.
 */
final class LineClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final BufferedReader in;

    LineClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        // Requests are a few bytes: without TCP_NODELAY, Nagle's algorithm may hold one back waiting for more.
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** Sends one request line; {@code line} ends with {@code \n}, encoded once by the caller. */
    void send(byte[] line) throws IOException {
        out.write(line);
        out.flush();
    }

    /** The next reply line, or an exception if the server closed the connection. */
    String receive() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("the server closed the connection");
        }
        return line;
    }

    String request(byte[] line) throws IOException {
        send(line);
        return receive();
    }

    static byte[] line(String request) {
        return (request + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        // Hanging up is how a client cancels: the server's reader sees the end of the stream, the connection's scope
        // is cancelled, and so is its request in flight with every subtask.
        socket.close();
    }
}
