package dev.loomcounter.client.load;

import dev.loomcounter.client.FakeServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server that counts right but stalls: it reads every request as it comes, and holds back all replies until the
 * test opens {@link #release()}; then it answers them in order, as the real server does. The test can watch how many
 * requests arrived during the stall.
 */
final class StallServer extends FakeServer {

    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger received = new AtomicInteger();

    StallServer() throws IOException {
    }

    /** Requests received so far, on all connections. */
    int received() {
        return received.get();
    }

    /** Ends the stall: every reply held back goes out, and later ones go out at once. */
    void release() {
        released.countDown();
    }

    /** A reader that takes lines as they come, and this thread that answers them in order once released. */
    @Override
    protected void serve(Socket socket) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.equalsIgnoreCase("STOP")) {
                        received.incrementAndGet();
                    }
                    lines.put(line);
                }
            } catch (IOException | InterruptedException e) {
                // the client left
            }
        });
        try (socket; var out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
            released.await();
            while (true) {
                String line = lines.take();
                if (line.equalsIgnoreCase("STOP")) {
                    out.println("BYE");
                    return;
                }
                String[] numbers = line.strip().split(" +");
                out.println(Long.parseLong(numbers[0]) + Long.parseLong(numbers[1]));
            }
        } catch (IOException | InterruptedException e) {
            // the client left, or the test is over
        } finally {
            reader.interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        release();
        super.close();
    }
}
