package dev.loomcounter.server;

import dev.loomcounter.protocol.Reply;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Runs on whichever thread answers the connection's requests (its worker, or its own thread for a brief request,
 * never both at once: {@link Handoff} sees to that): the replies not yet written, and the write that sends them in
 * one piece. The timeout watch reads only when the write in progress began.
 */
final class ReplyBatch {

    /** A batch is written once it reaches this size, without waiting for the last pipelined request. */
    static final int FULL_BYTES = 8_192;

    private final Socket socket;
    /** Closes the connection: what a failed write does, so that a reader blocked on the same socket wakes too. */
    private final Runnable closeConnection;
    private byte[] bytes = new byte[64];
    private int size;
    /** When the write in progress began, or 0: Java sockets have no write timeout, so the timeout watch keeps one. */
    private volatile long writingSince;
    /** When the last reply was made: a connection answering requests is not idle. */
    private volatile long lastReplyNanos = System.nanoTime();

    ReplyBatch(Socket socket, Runnable closeConnection) {
        this.socket = socket;
        this.closeConnection = closeConnection;
    }

    void add(Reply reply) {
        byte[] line = reply.toLine().getBytes(StandardCharsets.UTF_8);
        if (size + line.length + 1 > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + line.length + 1));
        }
        System.arraycopy(line, 0, bytes, size, line.length);
        bytes[size + line.length] = '\n';
        size += line.length + 1;
        lastReplyNanos = System.nanoTime();
    }

    boolean full() {
        return size >= FULL_BYTES;
    }

    /** Writes the replies made so far. A failed write means the client is gone, or too slow: the connection closes. */
    void write() throws IOException {
        if (size == 0) {
            return;
        }
        writingSince = System.nanoTime();
        try {
            socket.getOutputStream().write(bytes, 0, size);
        } catch (IOException e) {
            closeConnection.run();
            throw e;
        } finally {
            writingSince = 0;
            size = 0;
        }
    }

    /** True if a write has been blocked for longer than {@code timeoutNanos}: the client does not read. */
    boolean stuck(long now, long timeoutNanos) {
        long since = writingSince;
        return since != 0 && now - since > timeoutNanos;
    }

    long lastReplyNanos() {
        return lastReplyNanos;
    }
}
