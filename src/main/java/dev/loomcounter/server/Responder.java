package dev.loomcounter.server;

import dev.loomcounter.counting.Outcome;
import dev.loomcounter.counting.RequestContext;
import dev.loomcounter.counting.Watcher;
import dev.loomcounter.live.RequestOutcome;
import dev.loomcounter.protocol.ErrorCode;
import dev.loomcounter.protocol.Reply;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.settings.Durations;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Runs on whichever thread answers the connection's requests, one at a time (its worker, or its own thread for a
 * brief request): turns one request into its reply, counting it in a request scope with its context bound, and tells
 * the log and the live view how it ended.
 */
final class Responder {

    private final String connection;
    private final Shared shared;
    /** The connection's watcher: its requests' scopes are recorded beside the connection's own. */
    private final Watcher watcher;
    /** The connection's own stream of draws, used by one answering thread at a time; with --seed it repeats. */
    private final RandomGenerator draws;
    private volatile int requestsAnswered;

    Responder(int id, Shared shared, Watcher watcher) {
        this.connection = "conn-" + id;
        this.shared = shared;
        this.watcher = watcher;
        this.draws = shared.settings().work().seed().isPresent()
                ? new SplittableRandom(shared.settings().work().seed().getAsLong() * 1_000_003L + id)
                : new SplittableRandom();
    }

    int requestsAnswered() {
        return requestsAnswered;
    }

    Reply reply(Request request) throws InterruptedException {
        Reply reply = switch (request) {
            case Request.Count count -> count(count);
            case Request.Rejected(ErrorCode code, String reason) -> new Reply.Error(code, reason);
            case Request.Stop() -> new Reply.Bye();
        };
        if (!(request instanceof Request.Stop)) {
            requestsAnswered++;
        }
        return reply;
    }

    private Reply count(Request.Count request) throws InterruptedException {
        if (shared.shuttingDown().getAsBoolean()) {
            return new Reply.Error(ErrorCode.SHUTTING_DOWN, "the server is stopping and takes no new requests");
        }
        String name = connection + "/req-" + (requestsAnswered + 1);
        long began = System.nanoTime();
        shared.live().requestStarted(name, request.start(), request.increments());
        // The request's context, bound for the time of call(): the request's scope and every subtask it forks see
        // it, without anyone passing it by hand, and nothing sees it once call() has returned.
        Outcome outcome;
        try {
            outcome = ScopedValue.where(RequestContext.CURRENT, new RequestContext(connection, name, watcher))
                    .call(() -> shared.counter().count(request, draws));
        } catch (InterruptedException e) {
            // The connection's scope was cancelled (the client hung up, a shutdown): so was the request's.
            shared.live().requestEnded(name, RequestOutcome.CANCELLED, began);
            throw e;
        }
        shared.live().requestEnded(name, RequestOutcome.of(outcome), began);
        return switch (outcome) {
            case Outcome.Counted counted -> {
                shared.log().request(counted.wall().toNanos(), () -> name + " " + request.start() + " + "
                        + request.increments() + " = " + counted.result() + " in " + counted.wall().toMillis()
                        + " ms; subtasks worked " + counted.work().toMillis() + " ms in all ("
                        + Math.round(counted.parallelism() * 100) / 100.0 + "x speed-up)");
                yield new Reply.Result(counted.result());
            }
            case Outcome.TimedOut(Duration after) -> {
                String timeout = Durations.format(after);
                shared.log().info(name + " timed out after " + timeout + "; its subtasks were cancelled");
                yield new Reply.Error(ErrorCode.TIMEOUT,
                        "the request took longer than " + timeout + "; its subtasks were cancelled");
            }
            case Outcome.Overloaded(int asked, int limit) -> {
                shared.log().info(name + " refused: " + asked + " subtasks do not fit in the budget of " + limit);
                yield new Reply.Error(ErrorCode.OVERLOADED, "the server already runs its maximum of " + limit
                        + " subtasks; try again later");
            }
            case Outcome.Failed(Throwable cause) -> {
                // A bug, not the client's fault: say so, keep the connection, and leave the details in the log.
                shared.log().info(name + " failed: " + cause + "; its subtasks were cancelled");
                yield new Reply.Error(ErrorCode.INTERNAL, "the request failed in the server: " + cause);
            }
        };
    }
}
