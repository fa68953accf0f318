package dev.loomcounter.bare;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counting server with nothing but the lesson: a virtual thread per connection, a scope per request, a fork per
 * increment. Runs on the main thread (accepting) and one virtual thread per connection. The first code to read.
 *
 * <pre>./mvnw -q compile exec:exec@bare</pre> (port 7000; {@code -Dargs=PORT} for another, 0 for a free one)
 */
public final class BareServer {

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7000;
        // Loopback only: a teaching server has no business listening on every interface.
        try (var server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("bare server listening on 127.0.0.1:" + server.getLocalPort());
            while (true) {
                Socket socket = server.accept();
                // A thread that blocks in a read costs a virtual thread next to nothing: one per connection.
                Thread.ofVirtual().start(() -> serve(socket));
            }
        }
    }

    /** Reads "start increments" lines and answers each with the count; STOP is answered BYE and ends it. */
    static void serve(Socket socket) {
        try (socket; var in = new BufferedReader(new InputStreamReader(socket.getInputStream()));
             var out = new PrintWriter(socket.getOutputStream(), true)) {
            for (String line; (line = in.readLine()) != null && !line.equals("STOP"); ) {
                String[] words = line.trim().split("\\s+");
                AtomicLong counter = new AtomicLong(Long.parseLong(words[0]));
                // The scope is the request: join() waits for every increment, and close() for every thread.
                try (var scope = StructuredTaskScope.open()) {
                    for (int i = 0; i < Integer.parseInt(words[1]); i++) {
                        scope.fork(counter::incrementAndGet);
                    }
                    scope.join();
                }
                out.println(counter.get());
            }
            out.println("BYE");
        } catch (Exception e) {
            // the client is gone, or sent a line that is not two numbers: this bare server just hangs up
        }
    }
}
