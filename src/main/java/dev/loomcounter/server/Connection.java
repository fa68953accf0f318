package dev.loomcounter.server;

import dev.loomcounter.counting.Outcome;
import dev.loomcounter.counting.RequestContext;
import dev.loomcounter.counting.RequestCounter;
import dev.loomcounter.live.Recorder;
import dev.loomcounter.live.RequestOutcome;
import dev.loomcounter.log.Log;
import dev.loomcounter.protocol.ErrorCode;
import dev.loomcounter.protocol.Reply;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.protocol.RequestParser;
import dev.loomcounter.server.LineReader.Line;
import dev.loomcounter.settings.Durations;
import dev.loomcounter.settings.ServerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * One client's connection, served by its own thread from accept to close.
 *
 * <p>That thread is the connection's <em>reader</em>, and owns the connection's scope. An idle connection is exactly
 * this one thread, parked in a socket read. A brief request (one that ends within about a millisecond, whatever its
 * draws) the reader answers itself: it opens the request's scope, forks the increments, joins them and writes the
 * answer, and goes back to reading. A request that may take longer gets a <em>worker</em>, forked into the
 * connection's scope; the worker answers the queued requests in order, one request scope at a time, and ends when
 * the queue is empty. The reader keeps reading meanwhile: that is how a reset is noticed while a long request runs.
 * The scope's joiner ({@code awaitAllSuccessfulOrThrow}) is the connection's policy: when a subtask fails, the scope
 * cancels the others, and with them the request in flight and every one of its subtasks.
 *
 * <p>Why the reader cannot simply be interrupted instead: interrupting a virtual thread blocked in a socket read
 * closes the socket. Only data, the end of the stream, a reset, a read timeout, or closing the socket wake it.
 */
final class Connection {

    /** Lines read ahead of the worker; a full queue stops the reader, and TCP then slows the client down. */
    private static final int READ_AHEAD = 1_024;
    /**
     * After the last answer, how long and how much the connection still reads and drops what the client sends, so
     * that the client can finish sending (a 1 MiB line, say) and read that answer before the close.
     */
    private static final Duration LINGER = Duration.ofSeconds(5);
    private static final long LINGER_BYTES = 16L << 20;
    /** A batch of answers is written once it reaches this size, without waiting for the queue to empty. */
    private static final int WRITE_BATCH_BYTES = 8_192;

    /** What every connection shares: the server's settings, parser, counting core, state and live view. */
    record Shared(ServerSettings settings, RequestParser parser, RequestCounter counter, Log log,
                  BooleanSupplier shuttingDown, Recorder live) {
    }

    /** Thrown into the connection's scope when the client is gone: the joiner then cancels the worker. */
    static final class ClientGone extends IOException {
        ClientGone(IOException cause) {
            super("the client is gone: " + cause.getMessage(), cause);
        }
    }

    private final String name;
    private final Socket socket;
    private final Shared shared;
    private final RandomGenerator draws;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The connection's own thread, the reader and owner of its scope. */
    private volatile Thread owner;

    // The queue between the reader and the worker.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    /** Room for one request at first: most clients wait for each answer; the queue grows for those that pipeline. */
    private final ArrayDeque<Request> queue = new ArrayDeque<>(1);
    private boolean workerFailed;
    /**
     * True while a request is being answered, by the reader or a worker. Only the reader sets it (when it answers a
     * request itself, or forks a worker); whoever answers clears it when done, a worker under the lock.
     */
    private volatile boolean answering;

    // The answering side: the reader or one worker at a time, never both (see answering).
    private byte[] answers = new byte[64];
    private int answerBytes;
    private volatile int requestsAnswered;

    /** When the last line arrived or the last answer was sent: idleness is measured from here. */
    private volatile long lastActivityNanos = System.nanoTime();
    /** When the write in progress started, or 0: a server-wide sweeper closes connections stuck in a write. */
    private volatile long writingSince;
    private volatile boolean writeTimedOut;
    private volatile boolean idleTimedOut;

    Connection(int id, Socket socket, Shared shared) {
        this.name = "conn-" + id;
        this.socket = socket;
        this.shared = shared;
        // Each connection has its own stream of draws, used by one worker at a time; with --seed it repeats.
        this.draws = shared.settings().work().seed().isPresent()
                ? new SplittableRandom(shared.settings().work().seed().getAsLong() * 1_000_003L + id)
                : new SplittableRandom();
    }

    String name() {
        return name;
    }

    String remoteAddress() {
        return String.valueOf(socket.getRemoteSocketAddress());
    }

    int requestsAnswered() {
        return requestsAnswered;
    }

    /** Serves the connection until it ends, on the connection's own thread, then closes the socket. */
    Ending serve() {
        owner = Thread.currentThread();
        Ending ending = Ending.FAILED;
        try (var workers = shared.live().threads().scope(name, shared.settings().threads().factory(name + "/worker-"));
             var scope = StructuredTaskScope.open(
                     Joiner.<Void>awaitAllSuccessfulOrThrow(),
                     config -> config.withName(name).withThreadFactory(workers))) {
            try {
                ending = readRequests(scope);
                // After STOP or the end of the stream: the worker answers everything queued before the scope ends.
                scope.join();
            } catch (StructuredTaskScope.FailedException e) {
                ending = failed(e.getCause(), ending);
            } catch (InterruptedException e) {
                // cancel(): the server is shutting down. Closing the scope (leaving the try) cancels the worker.
                ending = Ending.SERVER_SHUTDOWN;
            }
        } finally {
            if (ending == Ending.STOPPED || ending == Ending.LINE_TOO_LONG) {
                finishAndClose();
            } else {
                close();
            }
        }
        return ending;
    }

    /** The reader: reads lines as they come, queues them for the worker, and says why it stopped. */
    private Ending readRequests(StructuredTaskScope<Void, Void> scope) throws InterruptedException {
        LineReader lines;
        try {
            lines = new LineReader(socket, shared.settings().maxLineBytes());
        } catch (IOException e) {
            return clientGone(scope, e);
        }
        while (true) {
            Line line;
            try {
                // An untimed read: the idle timeout is the server's timeout watch's job (closeIfIdle), so that a
                // parked reader holds no timer, and a read costs no timer to set and cancel.
                line = lines.next();
            } catch (IOException e) {
                return clientGone(scope, e);
            }
            switch (line) {
                case Line.EndOfStream() -> {
                    // FIN: the client sends no more; the worker still answers all it sent.
                    return Ending.CLIENT_DONE;
                }
                case Line.TooLong() -> {
                    // Answered in turn, after the lines before it; then the connection closes.
                    enqueue(scope, new Request.Rejected(ErrorCode.LINE_TOO_LONG,
                            "a line may be at most " + shared.settings().maxLineBytes() + " bytes"));
                    return Ending.LINE_TOO_LONG;
                }
                case Line.Complete(byte[] bytes) -> {
                    lastActivityNanos = System.nanoTime();
                    Request request = shared.parser().parse(bytes);
                    try {
                        if (answeredHere(request, lines)) {
                            if (request instanceof Request.Stop) {
                                return Ending.STOPPED;
                            }
                            continue;
                        }
                    } catch (IOException e) {
                        return clientGone(scope, e);
                    }
                    if (!enqueue(scope, request)) {
                        return clientGone(scope, new SocketException("the connection was closed"));
                    }
                    if (request instanceof Request.Stop) {
                        // STOP is answered in order, after the lines before it; lines after it are not read.
                        return Ending.STOPPED;
                    }
                }
            }
        }
    }

    /**
     * Answers {@code request} on the reader's own thread, if it is brief and no worker is answering. A worker would
     * cost a fork and two hand-offs for a request that ends before the hand-off would; and nobody needs to watch for a
     * reset meanwhile, since the request is over within about a millisecond anyway. Lines the client sent meanwhile
     * wait in the socket, and are read next, in order.
     *
     * @return false if a worker must answer it: the request may take long, or earlier ones are still being answered
     * @throws IOException if the answer could not be written: the client is gone
     */
    private boolean answeredHere(Request request, LineReader lines) throws IOException, InterruptedException {
        boolean brief = !(request instanceof Request.Count count) || shared.counter().isBrief(count);
        if (!brief || answering) {
            return false;
        }
        answering = true;
        try {
            answer(request);
            // Answers to pipelined lines already read go out in one write, after the last of them; BYE always goes
            // now, since nothing after STOP is answered.
            if (request instanceof Request.Stop || !lines.hasWholeLine() || answerBytes >= WRITE_BATCH_BYTES) {
                writeAnswers();
            }
        } finally {
            answering = false;
        }
        return true;
    }

    /**
     * A reset or a failed read: the client is gone. Failing a subtask is how the reader tells the scope: the joiner
     * cancels the scope, which interrupts the worker and cancels its request's subtasks.
     */
    private Ending clientGone(StructuredTaskScope<Void, Void> scope, IOException e) {
        Ending ending = shared.shuttingDown().getAsBoolean() ? Ending.SERVER_SHUTDOWN
                : writeTimedOut ? Ending.WRITE_TIMEOUT
                : idleTimedOut ? Ending.IDLE
                : Ending.HUNG_UP;
        scope.fork(() -> {
            throw new ClientGone(e);
        });
        return ending;
    }

    /** Why the connection ended, when a subtask failed: the client's leaving, or a failure of the server's own. */
    private Ending failed(Throwable cause, Ending readerSaw) {
        if (cause instanceof ClientGone) {
            return readerSaw;
        }
        if (cause instanceof IOException) {
            // A reply that could not be written: the client is gone, or too slow.
            return writeTimedOut ? Ending.WRITE_TIMEOUT
                    : shared.shuttingDown().getAsBoolean() ? Ending.SERVER_SHUTDOWN : Ending.HUNG_UP;
        }
        shared.log().info(name + " failed: " + cause);
        return Ending.FAILED;
    }

    /**
     * Queues a request, and forks a worker if none is running. Waits while the read-ahead is full.
     *
     * @return false if the worker failed or the socket was closed meanwhile: nothing more will be answered
     */
    private boolean enqueue(StructuredTaskScope<Void, Void> scope, Request request) throws InterruptedException {
        lock.lock();
        try {
            while (queue.size() >= READ_AHEAD && !workerFailed && !closed.get()) {
                room.await();
            }
            if (workerFailed || closed.get()) {
                return false;
            }
            queue.add(request);
            if (answering) {
                return true;
            }
            answering = true;
        } finally {
            lock.unlock();
        }
        scope.fork(this::answerQueued);
        return true;
    }

    /** True while a request is being counted or answered. */
    boolean working() {
        return answering;
    }

    /** The worker: answers queued requests in the order they came, and retires when none is left. */
    private Void answerQueued() throws IOException, InterruptedException {
        try {
            Request request;
            while ((request = nextOrRetire()) != null) {
                if (request instanceof Request.Count count && count.increments() > 0) {
                    // Answers already made go out before a request that takes time.
                    writeAnswers();
                }
                answer(request);
                if (answerBytes >= WRITE_BATCH_BYTES) {
                    writeAnswers();
                }
            }
            return null;
        } catch (Throwable failure) {
            lock.lock();
            try {
                // The reader may be waiting for room that this worker will no longer make.
                workerFailed = true;
                room.signal();
            } finally {
                lock.unlock();
            }
            // The scope's cancellation reaches only its subtasks, not the reader that owns it, blocked in a read:
            // closing the socket is what wakes it, so that the connection ends now, not at the client's next move.
            close();
            throw failure;
        }
    }

    /** The next request, or null after the answers so far are written and the worker has retired. */
    private Request nextOrRetire() throws IOException {
        Request next = poll();
        if (next != null) {
            return next;
        }
        // One write for a batch of pipelined answers.
        writeAnswers();
        lock.lock();
        try {
            next = queue.poll();
            if (next == null) {
                // Under the lock: the reader's next request sees this, and answers it or forks a fresh worker.
                answering = false;
            } else {
                room.signal();
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    private Request poll() {
        lock.lock();
        try {
            Request next = queue.poll();
            if (next != null) {
                room.signal();
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** Adds the answer to {@code request} to the answers to write. */
    private void answer(Request request) throws InterruptedException {
        add(reply(request));
        if (!(request instanceof Request.Stop)) {
            requestsAnswered++;
        }
        lastActivityNanos = System.nanoTime();
    }

    private Reply reply(Request request) throws InterruptedException {
        return switch (request) {
            case Request.Count count -> count(count);
            case Request.Rejected(ErrorCode code, String reason) -> new Reply.Error(code, reason);
            case Request.Stop() -> new Reply.Bye();
        };
    }

    private Reply count(Request.Count request) throws InterruptedException {
        if (shared.shuttingDown().getAsBoolean()) {
            return new Reply.Error(ErrorCode.SHUTTING_DOWN, "the server is stopping and takes no new requests");
        }
        String requestName = name + "/req-" + (requestsAnswered + 1);
        long began = System.nanoTime();
        shared.live().requestStarted(requestName, request.start(), request.increments());
        // The request's context, bound for the time of call(): the request's scope and every subtask it forks see
        // it, without anyone passing it by hand, and nothing sees it once call() has returned.
        Outcome outcome;
        try {
            outcome = ScopedValue.where(RequestContext.CURRENT, new RequestContext(name, requestName, shared.live()))
                    .call(() -> shared.counter().count(request, draws));
        } catch (InterruptedException e) {
            // The connection's scope was cancelled (the client hung up, a shutdown): so was the request's.
            shared.live().requestEnded(requestName, RequestOutcome.CANCELLED, began);
            throw e;
        }
        shared.live().requestEnded(requestName, RequestOutcome.of(outcome), began);
        return switch (outcome) {
            case Outcome.Counted counted -> {
                shared.log().request(counted.wall().toNanos(), () -> requestName + " " + request.start() + " + "
                        + request.increments() + " = " + counted.result() + " in " + counted.wall().toMillis()
                        + " ms; subtasks worked " + counted.work().toMillis() + " ms in all ("
                        + Math.round(counted.parallelism() * 100) / 100.0 + "x speed-up)");
                yield new Reply.Result(counted.result());
            }
            case Outcome.TimedOut(Duration after) -> {
                String timeout = Durations.format(after);
                shared.log().info(requestName + " timed out after " + timeout + "; its subtasks were cancelled");
                yield new Reply.Error(ErrorCode.TIMEOUT,
                        "the request took longer than " + timeout + "; its subtasks were cancelled");
            }
            case Outcome.Overloaded(int asked, int limit) -> {
                shared.log().info(requestName + " refused: " + asked + " subtasks do not fit in the budget of "
                        + limit);
                yield new Reply.Error(ErrorCode.OVERLOADED, "the server already runs its maximum of " + limit
                        + " subtasks; try again later");
            }
            case Outcome.Failed(Throwable cause) -> {
                // A bug, not the client's fault: say so, keep the connection, and leave the details in the log.
                shared.log().info(requestName + " failed: " + cause + "; its subtasks were cancelled");
                yield new Reply.Error(ErrorCode.INTERNAL, "the request failed in the server: " + cause);
            }
        };
    }

    private void add(Reply reply) {
        byte[] line = reply.toLine().getBytes(StandardCharsets.UTF_8);
        if (answerBytes + line.length + 1 > answers.length) {
            answers = Arrays.copyOf(answers, Math.max(answers.length * 2, answerBytes + line.length + 1));
        }
        System.arraycopy(line, 0, answers, answerBytes, line.length);
        answers[answerBytes + line.length] = '\n';
        answerBytes += line.length + 1;
    }

    /** Writes the answers made so far. A failed write means the client is gone: the worker fails, the scope ends. */
    private void writeAnswers() throws IOException {
        if (answerBytes == 0) {
            return;
        }
        OutputStream out = socket.getOutputStream();
        writingSince = System.nanoTime();
        try {
            out.write(answers, 0, answerBytes);
        } catch (IOException e) {
            // Wakes the reader too, which is blocked in a read of the same socket.
            close();
            throw e;
        } finally {
            writingSince = 0;
            answerBytes = 0;
        }
    }

    /**
     * Closes the connection if a write has been blocked for longer than {@code timeout}: the client does not read.
     * Java sockets have no write timeout; closing the socket is what wakes a blocked write.
     */
    void closeIfWriteStuck(long now, long timeoutNanos) {
        long since = writingSince;
        if (since != 0 && now - since > timeoutNanos) {
            writeTimedOut = true;
            shared.log().info(name + " did not take its replies within "
                    + Durations.format(shared.settings().writeTimeout()) + ": closing it");
            close();
        }
    }

    /**
     * Closes the connection if it has had no whole line and no answer for longer than {@code timeout}, and no request
     * runs. A byte now and then does not count: a client trickling an unfinished line is idle too.
     */
    void closeIfIdle(long now, long timeoutNanos) {
        if (now - lastActivityNanos > timeoutNanos && !working()) {
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
            lock.lock();
            try {
                // A reader waiting for room in a full queue is not in a read: wake it here.
                room.signal();
            } finally {
                lock.unlock();
            }
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
     * After the last answer (BYE, or ERR line-too-long): closes the sending side first, then reads what the client
     * still sends, for a moment. Closing a socket with unread input sends a reset, and a reset may destroy the last
     * answer before the client has read it.
     */
    private void finishAndClose() {
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
