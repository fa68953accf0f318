package dev.loomcounter.client.link;

import dev.loomcounter.protocol.Reply;
import dev.loomcounter.protocol.Request;
import java.time.Duration;

/**
 * What came back for one request, already judged against the sum it asked for. Sealed: every caller's {@code switch}
 * handles exactly these three; {@code BYE} is no answer to a request, so it is not one of them.
 */
public sealed interface Answer {

    /** From just before the send (or, in an open-loop run, the time the send was due) to just after the reply. */
    long roundTripNanos();

    /** Judges a reply to a request against the sum it asked for. */
    static Answer judge(Request.Count request, Reply reply, long roundTripNanos) {
        return switch (reply) {
            case Reply.Result(long value) when value == request.expectedResult() -> new Right(value, roundTripNanos);
            case Reply.Result(long value) -> new Wrong(value, request.expectedResult(), roundTripNanos);
            case Reply.Error error -> new Refused(error, roundTripNanos);
            case Reply.Bye() -> throw new IllegalArgumentException("BYE is no answer to a request");
        };
    }

    default Duration roundTrip() {
        return Duration.ofNanos(roundTripNanos());
    }

    /** The server counted to start + increments. */
    record Right(long value, long roundTripNanos) implements Answer {
    }

    /** The server counted to something else: a bug in the server. */
    record Wrong(long value, long expected, long roundTripNanos) implements Answer {
    }

    /** The server answered {@code ERR}; unless the code keeps the connection open, it has closed it. */
    record Refused(Reply.Error error, long roundTripNanos) implements Answer {
    }
}
