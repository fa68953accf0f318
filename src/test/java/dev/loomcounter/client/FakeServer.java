package dev.loomcounter.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A stand-in for the counting server that misbehaves on purpose, for the clients' tests: it accepts on a free
 * loopback port and serves each connection on a virtual thread of its own, the same as the real server; what it says
 * is the subclass's {@link #serve(Socket)}.
 */
public abstract class FakeServer implements AutoCloseable {

    private final ServerSocket serverSocket;

    protected FakeServer() throws IOException {
        this.serverSocket = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name(getClass().getSimpleName()).start(this::acceptLoop);
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** One connection, on its own virtual thread; closes the socket when done. */
    protected abstract void serve(Socket socket);

    private void acceptLoop() {
        try {
            while (true) {
                Socket socket = serverSocket.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            }
        } catch (IOException e) {
            // closed: the test is over
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
    }
}
