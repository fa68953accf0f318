package dev.loomcounter.server;

import dev.loomcounter.counting.RequestCounter;
import dev.loomcounter.counting.Tally;
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
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * One client's connection, served by its own thread (virtual by default) from accept to close.
 *
 * <p>The connection is a scope with two subtasks that race: a <em>reader</em> that reads lines ahead and a
 * <em>worker</em> that answers them in order, one request scope at a time. Why two: while the worker waits in a
 * request's {@code join()}, someone must still be reading the socket, or nobody would notice the client hanging up or
 * typing STOP, and the request's subtasks would run on for nothing. When either subtask finishes, the connection is
 * over and the scope cancels the other one, and with it the request in flight.
 */
final class Connection {

    /** Lines read ahead but not yet answered; a full inbox stops the reader, and TCP then slows the client down. */
    private static final int INBOX_CAPACITY = 64;

    /** What every connection shares: the server's settings, parser, counting core and state. */
    record Shared(ServerSettings settings, RequestParser parser, RequestCounter counter, Log log,
                  InFlightRequests inFlight, BooleanSupplier shuttingDown, Recorder live) {
    }

    private final String name;
    private final Socket socket;
    private final Shared shared;
    private final RandomGenerator draws;
    private final BlockingQueue<Request> inbox = new ArrayBlockingQueue<>(INBOX_CAPACITY);
    /** Set by the worker while a request is counted; the reader's idle check looks at it. */
    private volatile boolean counting;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile int requestsAnswered;

    Connection(int id, Socket socket, Shared shared) {
        this.name = "conn-" + id;
        this.socket = socket;
        this.shared = shared;
        // With --seed, each connection has its own repeatable stream of draws, whatever the other connections do.
        this.draws = shared.settings().work().seed().isPresent()
                ? new SplittableRandom(shared.settings().work().seed().getAsLong() * 1_000_003L + id)
                : ThreadLocalRandom.current();
    }

    String name() {
        return name;
    }

    /** Serves the connection until it ends; runs in the connection's own thread and closes the socket. */
    Ending serve() throws InterruptedException {
        Ending ending;
        // The connection's scope: reader and worker race, and the first to finish ends the connection.
        try (var scope = StructuredTaskScope.open(
                new FirstToFinish<Ending>(),
                config -> config.withName(name)
                        .withThreadFactory(shared.settings().threads().factory(name + "/")))) {
            scope.fork(this::readAhead);
            scope.fork(this::answerInOrder);
            try {
                ending = scope.join();
            } catch (StructuredTaskScope.FailedException e) {
                shared.log().info(name + " failed: " + e.getCause());
                ending = Ending.HUNG_UP;
            }
            if (ending != Ending.STOPPED) {
                // Cancelling the scope interrupted both subtasks. A virtual thread blocked in a socket read wakes up
                // when interrupted; a platform thread does not, so close the socket to wake it either way.
                closeQuietly();
            }
        }
        // Closing the scope (leaving the try) waited for the reader and the worker to stop: the worker's last
        // request is cancelled and its subtasks are gone. Only now may this thread write to the socket.
        if (ending == Ending.STOPPED) {
            try {
                send(new Reply.Bye());
            } catch (IOException e) {
                // the client left without waiting for its BYE
            }
        }
        closeQuietly();
        return ending;
    }

    /** The reader subtask: reads lines as they come, parses them, and queues them for the worker. */
    private Ending readAhead() throws InterruptedException {
        Thread.currentThread().setName(name + "/reader");
        try {
            socket.setSoTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, shared.settings().idleTimeout().toMillis())));
            LineReader lines = new LineReader(socket.getInputStream(), shared.settings().maxLineBytes());
            while (true) {
                Line line;
                try {
                    line = lines.next();
                } catch (SocketTimeoutException e) {
                    if (isIdle()) {
                        return Ending.IDLE;
                    }
                    continue;
                }
                lastActivityNanos = System.nanoTime();
                switch (line) {
                    case Line.EndOfStream() -> {
                        return Ending.HUNG_UP;
                    }
                    case Line.TooLong() -> {
                        // Answered in turn, after the lines before it; meanwhile keep reading, so that a hang-up
                        // still cancels what runs.
                        inbox.put(new Request.Rejected(ErrorCode.LINE_TOO_LONG,
                                "a line may be at most " + shared.settings().maxLineBytes() + " bytes"));
                        lines.discardUntilEnd();
                        return Ending.HUNG_UP;
                    }
                    case Line.Complete(byte[] bytes) -> {
                        Request request = shared.parser().parse(bytes);
                        if (request instanceof Request.Stop) {
                            // STOP does not queue behind a running request: finishing this connection cancels it.
                            return Ending.STOPPED;
                        }
                        inbox.put(request);
                    }
                }
            }
        } catch (IOException e) {
            return shared.shuttingDown().getAsBoolean() ? Ending.SERVER_SHUTDOWN : Ending.HUNG_UP;
        }
    }

    /** The worker subtask: answers queued requests one at a time, in the order they came. */
    private Ending answerInOrder() throws InterruptedException {
        Thread.currentThread().setName(name + "/worker");
        while (true) {
            Request request = inbox.take();
            Reply reply;
            // In flight from the moment a request is taken until its answer is sent: a shutdown waits for both.
            shared.inFlight().enter();
            try {
                reply = switch (request) {
                    case Request.Count count -> count(count);
                    case Request.Rejected(ErrorCode code, String reason) -> new Reply.Error(code, reason);
                    case Request.Stop() -> throw new AssertionError("the reader handles STOP");
                };
                send(reply);
            } catch (IOException e) {
                return Ending.HUNG_UP;
            } finally {
                shared.inFlight().exit();
            }
            requestsAnswered++;
            lastActivityNanos = System.nanoTime();
            if (reply instanceof Reply.Error(ErrorCode code, String text) && !code.connectionStaysOpen()) {
                return Ending.LINE_TOO_LONG;
            }
        }
    }

    private Reply count(Request.Count request) throws InterruptedException {
        String requestName = name + "/req-" + (requestsAnswered + 1);
        counting = true;
        long began = System.nanoTime();
        RequestOutcome outcome = RequestOutcome.CANCELLED;
        shared.live().requestStarted(requestName, request.start(), request.increments());
        try {
            // Checked once in flight: a shutdown that starts now either sees this request in flight and waits for
            // it, or this request sees the shutdown and is refused.
            if (shared.shuttingDown().getAsBoolean()) {
                return new Reply.Error(ErrorCode.SHUTTING_DOWN, "the server is stopping and takes no new requests");
            }
            Tally tally = shared.counter().count(requestName, request, draws);
            outcome = RequestOutcome.ANSWERED;
            shared.log().info(String.format("%s %d + %d = %d in %d ms; subtasks worked %d ms in all (%.2fx speed-up)",
                    requestName, request.start(), request.increments(), tally.result(), tally.wall().toMillis(),
                    tally.work().toMillis(), tally.parallelism()));
            return new Reply.Result(tally.result());
        } catch (StructuredTaskScope.TimeoutException e) {
            outcome = RequestOutcome.TIMED_OUT;
            String timeout = Durations.format(shared.settings().requestTimeout());
            shared.log().info(requestName + " timed out after " + timeout + "; its subtasks were cancelled");
            return new Reply.Error(ErrorCode.TIMEOUT,
                    "the request took longer than " + timeout + "; its subtasks were cancelled");
        } finally {
            shared.live().requestEnded(requestName, outcome, began);
            counting = false;
        }
    }

    private boolean isIdle() {
        return !counting && inbox.isEmpty()
                && System.nanoTime() - lastActivityNanos >= shared.settings().idleTimeout().toNanos();
    }

    String remoteAddress() {
        return String.valueOf(socket.getRemoteSocketAddress());
    }

    int requestsAnswered() {
        return requestsAnswered;
    }

    /** Only one thread writes at a time: the worker while the connection runs, then this connection's own thread. */
    private void send(Reply reply) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((reply.toLine() + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Closes the socket from any thread: how a shutdown ends a connection, and wakes its blocked reader. */
    void closeQuietly() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }
}
