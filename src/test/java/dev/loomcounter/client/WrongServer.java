package dev.loomcounter.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A server that speaks the protocol but cannot count: it answers start + increments + 1. The load client must catch
 * every one of its answers.
 */
public final class WrongServer extends FakeServer {

    public WrongServer() throws IOException {
    }

    @Override
    protected void serve(Socket socket) {
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
}
