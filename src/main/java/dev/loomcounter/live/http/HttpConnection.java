package dev.loomcounter.live.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One connection, served by one virtual thread: read a request head, answer it, and again while the client keeps
 * the connection open. Plain blocking code, one request after the other; a virtual thread blocked in a read costs
 * a few hundred bytes, not an operating-system thread.
 */
final class HttpConnection {

    private final Socket socket;
    private final WebLimits limits;
    private final HeadParser parser;
    private final HostCheck hosts;
    private final Handler handler;
    private final Consumer<String> notes;
    private final OutputStream out;
    /** When the write in progress began, by {@link System#nanoTime()}; 0 while nothing is being written. */
    private volatile long writingSince;
    /** The bytes received and not yet used: the head being read, and anything a client sent after it. */
    private final byte[] buffer;
    private int held;

    HttpConnection(Socket socket, WebLimits limits, HeadParser parser, HostCheck hosts, Handler handler,
            Consumer<String> notes) throws IOException {
        this.socket = socket;
        this.limits = limits;
        this.parser = parser;
        this.hosts = hosts;
        this.handler = handler;
        this.notes = notes;
        this.out = new WatchedOutput();
        // The whole head must fit, so a head longer than the limit is noticed by a full buffer, and nothing grows.
        this.buffer = new byte[limits.maxHeadBytes()];
    }

    /** Serves requests until the client or a response closes the connection, or a head misses its deadline. */
    void serve() throws IOException {
        InputStream in = socket.getInputStream();
        while (true) {
            // The deadline covers the wait for the request's first byte too, so that it is also the limit on an
            // idle kept-alive connection.
            long deadline = System.nanoTime() + limits.headDeadline().toNanos();
            dropEmptyLines();
            int end = HeadParser.endOfHead(buffer, 0, held);
            while (end < 0 && held < buffer.length) {
                // SO_TIMEOUT bounds one read, not a head: set to the time left before each read, a client sending a
                // byte every second still meets the deadline of the whole head.
                long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMillis < 1) {
                    timedOut();
                    return;
                }
                socket.setSoTimeout((int) Math.min(leftMillis, Integer.MAX_VALUE));
                int read;
                try {
                    read = in.read(buffer, held, buffer.length - held);
                } catch (SocketTimeoutException e) {
                    timedOut();
                    return;
                }
                if (read < 0) {
                    return; // the client closed its side: nobody to answer
                }
                int scanFrom = held - 3;
                held += read;
                dropEmptyLines();
                end = HeadParser.endOfHead(buffer, scanFrom, held);
            }
            if (end < 0) {
                refuse(parser.tooLarge(buffer, held));
                return;
            }
            ParsedHead parsed = parser.parse(buffer, end);
            // Whatever follows the head is the next request's beginning (pipelining): no request here has a body.
            System.arraycopy(buffer, end, buffer, 0, held - end);
            held -= end;
            switch (parsed) {
                case Rejection rejection -> {
                    refuse(rejection);
                    return;
                }
                case RequestHead request -> {
                    if (request.authority().isPresent() && !hosts.accepts(request.authority().get())) {
                        refuse(new Rejection(Status.MISDIRECTED_REQUEST, "this server does not answer to that host "
                                + "name; open it by the address it printed"));
                        return;
                    }
                    if (!answer(request)) {
                        return;
                    }
                }
            }
        }
    }

    /** Hands the request to the handler; true if the connection stays open for the next one. */
    private boolean answer(RequestHead request) throws IOException {
        Exchange exchange = new Exchange(request, out, socket);
        try {
            handler.handle(exchange);
        } catch (RuntimeException e) {
            notes.accept("live view: " + request.method() + " " + request.path() + " failed: " + e);
            if (!exchange.responded()) {
                out.write(ResponseHead.refusal(Status.INTERNAL_SERVER_ERROR,
                        "the server failed to answer"));
            }
            return false;
        }
        if (!exchange.responded()) {
            notes.accept("live view: " + request.method() + " " + request.path() + " got no response");
            out.write(ResponseHead.refusal(Status.INTERNAL_SERVER_ERROR,
                    "the server did not answer"));
            return false;
        }
        return exchange.keepsAlive();
    }

    /**
     * The deadline passed. Halfway through a head, the client hears why ({@code 408}); between two requests there is
     * nothing to answer, and the connection just closes, as an idle kept-alive connection may.
     */
    private void timedOut() throws IOException {
        if (held > 0) {
            out.write(ResponseHead.refusal(Status.REQUEST_TIMEOUT,
                    "the request head did not arrive within " + limits.headDeadline().toMillis() + " ms"));
        }
    }

    private void refuse(Rejection rejection) throws IOException {
        out.write(ResponseHead.refusal(rejection.status(), rejection.why()));
    }

    /**
     * Closes the connection if a write has been blocked for longer than {@code timeoutNanos}: the client does not
     * read. Java sockets have no write timeout; closing the socket is what wakes a blocked write. Called by the
     * server's watch, on another thread.
     *
     * @return true if it closed the connection
     */
    boolean closeIfWriteStuck(long now, long timeoutNanos) {
        long since = writingSince;
        if (since != 0 && now - since > timeoutNanos) {
            close();
            return true;
        }
        return false;
    }

    /** Closes the socket, from any thread; a read or write blocked on it fails at once. */
    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closed enough
        }
    }

    /** RFC 9112 section 2.2: a server should ignore empty lines before a request line (some clients send them). */
    private void dropEmptyLines() {
        int start = 0;
        while (start < held && (buffer[start] == '\r' || buffer[start] == '\n')) {
            start++;
        }
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, held - start);
            held -= start;
        }
    }

    /** The socket's output, each write timed for {@link #closeIfWriteStuck}. */
    private final class WatchedOutput extends OutputStream {

        private final OutputStream socketOut;

        WatchedOutput() throws IOException {
            this.socketOut = socket.getOutputStream();
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            writingSince = System.nanoTime();
            try {
                socketOut.write(bytes, offset, length);
            } finally {
                writingSince = 0;
            }
        }
    }
}
