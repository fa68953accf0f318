package dev.loomcounter.client.link;

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

/**
 * One connection to the counting server, as a client sees it: send a request, wait for its reply, say STOP.
 *
 * <p>Plain blocking socket I/O, on purpose: every client connection runs on its own thread, virtual in the load and
 * hold clients, so a thread waiting here in a read costs a few hundred bytes of stack, not an operating-system
 * thread. That is what lets the code read top to bottom instead of as callbacks.
 *
 * <p>Two ways to end: {@link #stop()} is the normal end (STOP, wait for BYE, close); {@link #close()} alone is an
 * abort. The socket lingers for zero seconds, so closing it sends a reset (RST) instead of a FIN, and so does the
 * operating system when the process is killed: the server reads a reset as "the client is gone" and cancels the
 * request in flight at once, where a FIN would only mean "no more requests".
 *
 * <p>Thread safety: one thread may {@link #send} while another {@link #receive}s (the open-loop load client
 * pipelines); {@link #close()} may come from any thread and wakes both. No lock is needed, since no two threads
 * ever send at once. (If one were, {@code synchronized} would do: since JDK 24, JEP 491, a virtual thread that blocks
 * inside or waiting for a monitor unmounts from its carrier like anywhere else. What still pins a virtual thread to
 * its carrier is a native frame on its stack, and waiting for a class to be initialised.)
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
            // Linger 0: a close without STOP, a Ctrl-C or a killed process resets the connection (see the class).
            socket.setSoLinger(true, 0);
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
        send(request);
        return Answer.judge(request, receive(), System.nanoTime() - sent);
    }

    /**
     * As {@link #ask(Request.Count)}, but gives up when no reply has come {@code timeout} after the send: then it
     * returns empty, and the caller should {@link #close()} the link, since a reply that comes late would be read as
     * the answer to the next request. Closing it resets the connection, and the server cancels the request's work.
     */
    public Optional<Answer> ask(Request.Count request, Duration timeout) throws LinkException {
        long sent = System.nanoTime();
        send(request);
        return receiveBy(sent + timeout.toNanos())
                .map(reply -> Answer.judge(request, reply, System.nanoTime() - sent));
    }

    /** Sends one request without waiting: its reply comes, in order, from {@link #receive()}. */
    public void send(Request.Count request) throws LinkException {
        send(request.start() + " " + request.increments());
    }

    /**
     * The next reply to a request.
     *
     * @throws LinkException if the connection broke or the server closed it, said BYE, or sent something that is no
     *                       reply
     */
    public Reply receive() throws LinkException {
        try {
            return receiveOrTimeout();
        } catch (SocketTimeoutException e) {
            // Only a link given a deadline before (receiveBy) has a read timeout at all.
            throw new LinkException("no reply from " + address + " in time");
        }
    }

    private Reply receiveOrTimeout() throws LinkException, SocketTimeoutException {
        Reply reply = next().orElseThrow(() -> new LinkException(
                "the server at " + address + " closed the connection"));
        if (reply instanceof Reply.Bye) {
            throw new LinkException("the server at " + address + " said BYE and closed the connection");
        }
        return reply;
    }

    /**
     * As {@link #receive()}, but waits only until {@code deadlineNanos} on {@link System#nanoTime()}'s clock: empty if
     * no whole reply came by then. The link is of no further use then (see {@link #ask(Request.Count, Duration)}).
     */
    public Optional<Reply> receiveBy(long deadlineNanos) throws LinkException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return Optional.empty();
        }
        try {
            // The socket's read timeout, in whole milliseconds and never 0, which would mean "wait forever".
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000)));
            return Optional.of(receiveOrTimeout());
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /**
     * Ends the conversation the normal way: sends {@code STOP}, waits for {@code BYE} (at most the BYE timeout),
     * closes the socket. The server answers STOP in turn, after the requests before it: replies still on their way
     * are read and dropped.
     */
    public void stop() {
        try {
            send("STOP");
            socket.setSoTimeout(millis(byeTimeout));
            // End of stream counts as BYE: the server is gone.
            Optional<Reply> reply;
            do {
                reply = next();
            } while (reply.isPresent() && !(reply.get() instanceof Reply.Bye));
        } catch (LinkException | IOException e) {
            // No BYE in time, or the connection is broken already: either way this conversation is over.
        } finally {
            // Everything was read, so even with linger 0 nothing is lost: the reset only frees the socket at once.
            close();
        }
    }

    /**
     * Aborts: closes the socket without a word, which resets the connection (linger 0) so that the server cancels
     * whatever this client still has running there. A thread blocked reading or writing wakes up with a
     * {@link LinkException}.
     */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    private void send(String line) throws LinkException {
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /**
     * The next line from the server, read as a reply, or empty at the end of the stream.
     *
     * @throws SocketTimeoutException if the socket's read timeout passed first
     */
    private Optional<Reply> next() throws LinkException, SocketTimeoutException {
        String line;
        try {
            line = in.readLine();
        } catch (SocketTimeoutException e) {
            throw e;
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
