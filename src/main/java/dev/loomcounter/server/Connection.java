package dev.loomcounter.server;

import dev.loomcounter.counting.Watcher;
import dev.loomcounter.protocol.ErrorCode;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.server.LineReader.Line;
import dev.loomcounter.settings.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's connection. Everything here runs on the connection's own thread, from accept to close, except
 * {@link #close}, {@link #cancel} and the timeout checks, which the timeout watch and a shutdown call from theirs.
 *
 * <p>That thread reads the requests and owns the connection's scope. An idle connection is exactly this one thread,
 * parked in a socket read. A brief request it answers itself ({@link FastPath}); any other it hands to a worker forked
 * into the connection's scope ({@link Handoff}), and keeps reading meanwhile: that is how a reset is noticed while a
 * long request runs. The scope's joiner ({@code awaitAllSuccessfulOrThrow}) is the connection's policy: when a subtask
 * fails, the scope cancels the others, and with them the request in flight and every one of its subtasks.
 *
 * <p>Why the reader cannot simply be interrupted instead: interrupting a virtual thread blocked in a socket read
 * closes the socket. Only data, the end of the stream, a reset, a read timeout, or closing the socket wake it.
 */
final class Connection {

    /**
     * After the last reply, how long and how much the connection still reads and drops what the client sends, so
     * that the client can finish sending (a 1 MiB line, say) and read that reply before the close.
     */
    static final Duration LINGER = Duration.ofSeconds(5);
    static final long LINGER_BYTES = 16L << 20;

    /** Thrown into the connection's scope when the client is gone: the joiner then cancels the worker. */
    static final class ClientGone extends IOException {
        ClientGone(IOException cause) {
            super("the client is gone: " + cause.getMessage(), cause);
        }
    }

    private final String name;
    private final Socket socket;
    private final Shared shared;
    private final Watcher watcher;
    private final Responder responder;
    private final ReplyBatch replies;
    private final Handoff handoff;
    private final FastPath fastPath;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread owner;
    /** When the last whole line arrived: idleness is measured from here, or from the last reply if later. */
    private volatile long lastLineNanos = System.nanoTime();
    private volatile boolean writeTimedOut;
    private volatile boolean idleTimedOut;

    Connection(int id, Socket socket, Shared shared) {
        this.name = "conn-" + id;
        this.socket = socket;
        this.shared = shared;
        this.watcher = shared.live().forConnection();
        this.responder = new Responder(id, shared, watcher);
        this.replies = new ReplyBatch(socket, this::close);
        this.handoff = new Handoff(responder, replies, this::close);
        this.fastPath = new FastPath(shared.counter(), responder, replies, handoff);
    }

    String name() {
        return name;
    }

    String remoteAddress() {
        return String.valueOf(socket.getRemoteSocketAddress());
    }

    int requestsAnswered() {
        return responder.requestsAnswered();
    }

    /** True while a request is being counted or answered. */
    boolean working() {
        return handoff.answering();
    }

    /** Serves the connection until it ends, then closes the socket; says why it ended. */
    Ending serve() {
        owner = Thread.currentThread();
        Ending ending = Ending.FAILED;
        // The live view's record, closed in finally: as a second resource of the try, every idle stack grows 300 B.
        Watcher.ScopeThreads workers = watcher.scope(name, shared.settings().threads().factory(name + "/worker-"));
        try (var scope = StructuredTaskScope.open(
                Joiner.<Void>awaitAllSuccessfulOrThrow(),
                config -> config.withName(name).withThreadFactory(workers))) {
            try {
                ending = readRequests(scope);
                // After STOP or the end of the stream: the worker answers everything queued before the scope ends.
                scope.join();
            } catch (StructuredTaskScope.FailedException e) {
                ending = failed(e.getCause());
            } catch (InterruptedException e) {
                // cancel(): the server is shutting down. Closing the scope (leaving the try) cancels the worker.
                ending = Ending.SERVER_SHUTDOWN;
            }
        } finally {
            workers.close();
            if (ending == Ending.STOPPED || ending == Ending.LINE_TOO_LONG) {
                lingerAndClose();
            } else {
                close();
            }
        }
        return ending;
    }

    /** Reads lines as they come, answers or hands on each, and says why it stopped. */
    private Ending readRequests(StructuredTaskScope<Void, Void> scope) throws InterruptedException {
        try {
            LineReader lines = new LineReader(socket, shared.settings().maxLineBytes());
            while (true) {
                // An untimed read: the idle timeout is the timeout watch's job (closeIfIdle), so that a parked
                // reader holds no timer, and a read costs no timer to set and cancel.
                switch (lines.next()) {
                    case Line.EndOfStream() -> {
                        // FIN: the client sends no more; the worker still answers all it sent.
                        return Ending.CLIENT_DONE;
                    }
                    case Line.TooLong() -> {
                        // Answered in turn, after the lines before it; then the connection closes.
                        handoff.offer(scope, new Request.Rejected(ErrorCode.LINE_TOO_LONG,
                                "a line may be at most " + shared.settings().maxLineBytes() + " bytes"));
                        return Ending.LINE_TOO_LONG;
                    }
                    case Line.Complete(byte[] bytes) -> {
                        lastLineNanos = System.nanoTime();
                        Request request = shared.parser().parse(bytes);
                        if (!fastPath.answered(request, lines.hasWholeLine()) && !handoff.offer(scope, request)) {
                            throw new SocketException("the connection was closed");
                        }
                        if (request instanceof Request.Stop) {
                            // STOP is answered in order, after the lines before it; lines after it are not read.
                            return Ending.STOPPED;
                        }
                    }
                }
            }
        } catch (IOException e) {
            // A reset, a failed read or write: the client is gone. Failing a subtask is how the reader tells the
            // scope: the joiner cancels it, which interrupts the worker and cancels its request's subtasks.
            scope.fork(() -> {
                throw new ClientGone(e);
            });
            return whyGone();
        }
    }

    /** Why the connection ended, when a subtask failed: the client's leaving, or a failure of the server's own. */
    private Ending failed(Throwable cause) {
        if (cause instanceof IOException) {
            // ClientGone from the reader, or a reply that could not be written.
            return whyGone();
        }
        shared.log().info(name + " failed: " + cause);
        return Ending.FAILED;
    }

    private Ending whyGone() {
        return Ending.gone(shared.shuttingDown().getAsBoolean(), writeTimedOut, idleTimedOut);
    }

    /** Closes the connection if a write has been blocked for longer than {@code timeoutNanos}: no client reads. */
    void closeIfWriteStuck(long now, long timeoutNanos) {
        if (replies.stuck(now, timeoutNanos)) {
            writeTimedOut = true;
            shared.log().info(name + " did not take its replies within "
                    + Durations.format(shared.settings().writeTimeout()) + ": closing it");
            close();
        }
    }

    /**
     * Closes the connection if it has had no whole line and no reply for longer than {@code timeoutNanos}, and no
     * request runs. A byte now and then does not count: a client trickling an unfinished line is idle too.
     */
    void closeIfIdle(long now, long timeoutNanos) {
        long last = Math.max(lastLineNanos, replies.lastReplyNanos());
        if (now - last > timeoutNanos && !working()) {
            idleTimedOut = true;
            shared.log().connection(() -> name + " idle for longer than "
                    + Durations.format(shared.settings().idleTimeout()) + ": closing it");
            close();
        }
    }

    /**
     * Closes the socket, once, from whichever thread gets here first: the connection's own at its end, a failed
     * write, the timeout watch, or a shutdown (which is how a shutdown wakes a blocked reader).
     */
    void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
            handoff.close();
        }
    }

    /**
     * Ends the connection now, whatever its thread is doing: closing the socket wakes a read or a write, and the
     * interrupt wakes the connection's thread where no socket is involved, in {@code join()} while the worker answers
     * the last requests of a client that has finished sending. Used by a shutdown once its grace period is over.
     */
    void cancel() {
        close();
        Thread thread = owner;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /**
     * After the last reply (BYE, or ERR line-too-long): closes the sending side first, then reads and drops what the
     * client still sends, for a moment. Closing a socket with unread input sends a reset, and a reset may destroy the
     * last reply before the client has read it.
     */
    private void lingerAndClose() {
        long deadline = System.nanoTime() + LINGER.toNanos();
        try {
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            byte[] discard = new byte[512];
            long total = 0;
            int read = 0;
            // Bounded in bytes and in time: a client that keeps sending cannot keep the connection this way.
            while (read >= 0 && total < LINGER_BYTES && System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                read = in.read(discard);
                total += Math.max(read, 0);
            }
        } catch (IOException e) {
            // the client closed, reset, or took too long: close anyway
        }
        close();
    }
}
