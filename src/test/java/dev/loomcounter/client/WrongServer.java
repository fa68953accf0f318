package dev.loomcounter.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A server that speaks the protocol but cannot count: it answers start + increments + 1. The load client must catch
 * every one of its answers. A virtual thread per connection, the same as the real server, in twenty lines.
 */
public final class WrongServer implements AutoCloseable {

    private final ServerSocket serverSocket;

    public WrongServer() throws IOException {
        this.serverSocket = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("wrong-server").start(this::acceptLoop);
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

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

    private static void serve(Socket socket) {
        try (socket;
             var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
             var out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equalsIgnoreCase("STOP")) {
                    out.println("BYE");
                    return;
                }
                String[] numbers = line.strip().split(" +");
                out.println(Long.parseLong(numbers[0]) + Long.parseLong(numbers[1]) + 1);
            }
        } catch (IOException e) {
            // the client left
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
    }
}
