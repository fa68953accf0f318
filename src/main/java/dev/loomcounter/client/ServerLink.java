package dev.loomcounter.client;

import dev.loomcounter.protocol.Reply;
import dev.loomcounter.protocol.Request;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection to the counting server, as a client sees it: send a request, wait for its reply, say STOP.
 *
 * <p>Plain blocking socket I/O, on purpose: every client connection runs on its own thread, virtual in the load and
 * hold clients, so a thread waiting here in a read costs a few hundred bytes of stack, not an operating-system
 * thread. That is what lets the code read top to bottom instead of as callbacks.
 *
 * <p>Thread safety: {@link #stop()} may come from another thread (a Ctrl-C hook) while the owner waits in
 * {@link #ask}; sends are serialised by a lock, and {@link BufferedReader} hands out one line at a time.
 */
public final class ServerLink implements AutoCloseable {

    /**
     * Replies are short lines. With a thread per connection costing about a kilobyte, buffers become the cost of a
     * connection: the default 8,192 chars (16 KB) each would be most of a held connection's memory.
     */
    private static final int REPLY_BUFFER_CHARS = 128;

    private final ServerAddress address;
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final Duration byeTimeout;
    /** A {@code ReentrantLock}, not {@code synchronized}: the idiom that never pinned a virtual thread to its carrier. */
    private final ReentrantLock sending = new ReentrantLock();
    private final AtomicBoolean stopped = new AtomicBoolean();

    private ServerLink(ServerAddress address, Socket socket, Duration byeTimeout) throws IOException {
        this.address = address;
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8),
                REPLY_BUFFER_CHARS);
        this.out = socket.getOutputStream();
        this.byeTimeout = byeTimeout;
    }

    /** Connects, or says in one line why not. */
    static ServerLink open(ServerAddress address, Duration connectTimeout, Duration byeTimeout) throws LinkException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address.host(), address.port()), millis(connectTimeout));
            return new ServerLink(address, socket, byeTimeout);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new LinkException("cannot connect to " + address + ": " + switch (e) {
                case ConnectException refused -> "connection refused (is the server running?)";
                case SocketTimeoutException timeout -> "no answer within " + connectTimeout.toMillis() + " ms";
                case UnknownHostException unknown -> "unknown host";
                default -> describe(e);
            });
        }
    }

    public ServerAddress address() {
        return address;
    }

    /**
     * Sends one request, waits for its reply, and judges it: right, wrong, or refused ({@code ERR}). After an error
     * whose code does not {@linkplain dev.loomcounter.protocol.ErrorCode#connectionStaysOpen() keep the connection
     * open}, the server has closed it.
     *
     * @throws LinkException if the connection broke, the server closed it, or it sent something that is no reply
     */
    public Answer ask(Request.Count request) throws LinkException {
        long sent = System.nanoTime();
        send(request.start() + " " + request.increments());
        Reply reply = receive().orElseThrow(() -> new LinkException(
                "the server at " + address + " closed the connection"));
        long roundTrip = System.nanoTime() - sent;
        return switch (reply) {
            case Reply.Result(long value) when value == request.expectedResult() ->
                    new Answer.Right(value, roundTrip);
            case Reply.Result(long value) -> new Answer.Wrong(value, request.expectedResult(), roundTrip);
            case Reply.Error error -> new Answer.Refused(error, roundTrip);
            case Reply.Bye() -> throw new LinkException(
                    "the server at " + address + " said BYE and closed the connection");
        };
    }

    /**
     * Ends the conversation the polite way: sends {@code STOP}, waits for {@code BYE} (at most the BYE timeout),
     * closes the socket. Safe from any thread and more than once: only the first call does anything.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            send("STOP");
            socket.setSoTimeout(millis(byeTimeout));
            // STOP is urgent: the server cancels a request still running and answers only BYE. But a reply may have
            // been on its way already when STOP arrived; skip it. End of stream counts as BYE: the server is gone.
            Optional<Reply> reply;
            do {
                reply = receive();
            } while (reply.isPresent() && !(reply.get() instanceof Reply.Bye));
        } catch (LinkException | IOException e) {
            // No BYE in time, or the connection is broken already: either way this conversation is over.
        } finally {
            close();
        }
    }

    /** Closes the socket without a word; a thread blocked reading it wakes up with a {@link LinkException}. */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    private void send(String line) throws LinkException {
        sending.lock();
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw lost(e);
        } finally {
            sending.unlock();
        }
    }

    /** The next reply, or empty at the end of the stream (the server closed the connection). */
    private Optional<Reply> receive() throws LinkException {
        String line;
        try {
            line = in.readLine();
        } catch (SocketTimeoutException e) {
            throw new LinkException("no reply from " + address + " within " + byeTimeout.toMillis() + " ms");
        } catch (IOException e) {
            throw lost(e);
        }
        if (line == null) {
            return Optional.empty();
        }
        return Optional.of(Reply.parse(line).orElseThrow(() -> new LinkException(
                "the server at " + address + " sent a line that is no reply: '" + shorten(line) + "'")));
    }

    private LinkException lost(IOException e) {
        return new LinkException("lost the connection to " + address + ": " + describe(e));
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String shorten(String line) {
        return line.length() > 60 ? line.substring(0, 60) + "..." : line;
    }

    private static int millis(Duration duration) {
        return Math.toIntExact(Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing was all we wanted
        }
    }
}
