package dev.loomcounter.client.load;

import dev.loomcounter.client.link.Answer;
import dev.loomcounter.client.link.LinkException;
import dev.loomcounter.client.link.ServerLink;
import dev.loomcounter.protocol.Reply;
import dev.loomcounter.protocol.Request;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.random.RandomGenerator;

/**
 * One connection of an open-loop run: two virtual threads in a scope of their own. The sender sends each request when
 * it is due, whether or not the earlier ones were answered (pipelining); the reader takes the replies as they come,
 * which the server sends in the order of the requests, and matches each to the oldest request still unanswered.
 * Latency counts from when a request was due, not from when it left: a sender held up (by a full socket buffer, say)
 * sends late, and that lateness is part of the latency the server caused.
 */
final class OpenLoopConnection {

    /** A request on its way: what was asked, when it was due and when it went, whether it is measured or warm-up. */
    private record Sent(Request.Count request, long dueNanos, long sentNanos, boolean measured) {
    }

    /** After the last request: the reader has read everything once it takes this. */
    private static final Sent END = new Sent(new Request.Count(0, 0), 0, 0, false);

    /** How each side of the connection ended. */
    private enum Outcome {
        ALL_SENT, ALL_ANSWERED, SERVER_CLOSED, TIMED_OUT
    }

    private final ServerLink link;
    private final int connection;
    private final RandomGenerator random;
    private final LoadSettings settings;
    private final Schedule schedule;
    private final Phases phases;
    private final LoadTally tally;
    /** Sent, not yet answered, oldest first: the replies come in this order. */
    private final BlockingQueue<Sent> inFlight = new LinkedBlockingQueue<>();

    OpenLoopConnection(ServerLink link, int connection, RandomGenerator random, LoadSettings settings,
                       Schedule schedule, Phases phases, LoadTally tally) {
        this.link = link;
        this.connection = connection;
        this.random = random;
        this.settings = settings;
        this.schedule = schedule;
        this.phases = phases;
        this.tally = tally;
    }

    /** Sends and reads until every request is answered, then says STOP; or until the server or the link ends it. */
    void run() throws LinkException, InterruptedException {
        boolean timedOut;
        // The connection is over when the reader is done (every reply read, or the server closed the connection) or
        // either side failed; the sender finishing first only means the last request is out. allUntil cancels the
        // scope at that moment, which interrupts a sender still waiting for its next due time.
        try (var scope = StructuredTaskScope.open(
                Joiner.<Outcome>allUntil(side -> side.state() == Subtask.State.FAILED
                        || side.get() != Outcome.ALL_SENT),
                config -> config.withName("connection-" + connection)
                        .withThreadFactory(Thread.ofVirtual().name("connection-" + connection + "/", 1).factory()))) {
            scope.fork(this::sendOnSchedule);
            Subtask<Outcome> reader = scope.fork(this::readInOrder);
            for (Subtask<Outcome> side : scope.join().toList()) {
                if (side.state() == Subtask.State.FAILED) {
                    if (side.exception() instanceof LinkException lost) {
                        throw lost;
                    }
                    throw new IllegalStateException("connection " + connection + " failed", side.exception());
                }
            }
            if (reader.state() == Subtask.State.SUCCESS && reader.get() == Outcome.ALL_ANSWERED) {
                link.stop();
            }
            timedOut = reader.state() == Subtask.State.SUCCESS && reader.get() == Outcome.TIMED_OUT;
        }
        if (timedOut) {
            // The scope is closed, so the sender has stopped: what it sent after the request that timed out is lost
            // with the connection, which LoadRun now closes with a reset.
            for (Sent lost : inFlight) {
                if (lost != END) {
                    tally.timedOut(lost.request(), lost.measured(), settings.timeout());
                }
            }
        }
    }

    private Outcome sendOnSchedule() throws LinkException, InterruptedException {
        int measuredSent = 0;
        for (long k = 0; ; k++) {
            long due = schedule.dueNanos(connection, k);
            if (!phases.allows(due, measuredSent)) {
                break;
            }
            long early = due - System.nanoTime();
            if (early > 0) {
                // Parks the virtual thread: waiting for the next due time holds no carrier.
                Thread.sleep(Duration.ofNanos(early));
            }
            Request.Count request = settings.nextRequest(random);
            boolean measured = phases.measured(due);
            // Queued before it is sent: its reply cannot come before the reader can match it.
            inFlight.put(new Sent(request, due, System.nanoTime(), measured));
            link.send(request);
            if (measured) {
                measuredSent++;
            }
        }
        inFlight.put(END);
        return Outcome.ALL_SENT;
    }

    private Outcome readInOrder() throws LinkException, InterruptedException {
        while (true) {
            Sent sent = inFlight.take();
            if (sent == END) {
                return Outcome.ALL_ANSWERED;
            }
            // The timeout counts from the send, as in closed loop; the latency from the due time.
            Optional<Reply> reply = link.receiveBy(sent.sentNanos() + settings.timeout().toNanos());
            if (reply.isEmpty()) {
                // The requests sent after it are still in the queue: run() counts them once the sender has stopped.
                tally.timedOut(sent.request(), sent.measured(), settings.timeout());
                return Outcome.TIMED_OUT;
            }
            long now = System.nanoTime();
            Answer answer = Answer.judge(sent.request(), reply.get(), now - sent.dueNanos());
            tally.record(sent.request(), answer, sent.measured());
            if (sent.measured()) {
                tally.recordFromSend(now - sent.sentNanos());
            }
            if (answer instanceof Answer.Refused(Reply.Error error, long latency)
                    && !error.code().connectionStaysOpen()) {
                return Outcome.SERVER_CLOSED;
            }
        }
    }
}
