package dev.loomcounter.chaos;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One raw connection, as a careless or hostile client holds it: any bytes out, lines in. Every read has a timeout,
 * so that a server that says nothing fails the run instead of hanging it.
 */
final class Wire implements AutoCloseable {

    /** Silence longer than this is a lost answer: far beyond any request of the run, on a loaded machine too. */
    static final Duration SILENCE = Duration.ofSeconds(30);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Wire(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 256);
        this.out = socket.getOutputStream();
    }

    static Wire open(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) SILENCE.toMillis());
        socket.setSoTimeout((int) SILENCE.toMillis());
        return new Wire(socket);
    }

    /** A client that will not read: a small receive buffer, so that the server's replies back up quickly. */
    static Wire openNotReading(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4_096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) SILENCE.toMillis());
        return new Wire(socket);
    }

    Wire send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    Wire send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next line without its LF, or null once the server has closed its side. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(32);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** The next line if one comes within {@code wait}, else null (the connection stays usable). */
    String readLineWithin(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        try {
            in.mark(1);
            int b = in.read();
            if (b < 0) {
                return null;
            }
            in.reset();
        } catch (java.net.SocketTimeoutException nothingYet) {
            return null;
        } finally {
            socket.setSoTimeout((int) SILENCE.toMillis());
        }
        return readLine();
    }

    /** One byte, or -1 at the end; times out after {@code timeout} with a {@link java.net.SocketTimeoutException}. */
    int readByte(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        return in.read();
    }

    /** A polite end of sending (FIN): "no more requests". */
    void halfClose() throws IOException {
        socket.shutdownOutput();
    }

    /** A rude end (RST), as a killed client process: linger 0, then close. */
    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
