package dev.loomcounter.client;

import dev.loomcounter.protocol.Reply;
import java.time.Duration;

/**
 * What came back for one request, already judged against the sum it asked for. Sealed: every caller's {@code switch}
 * handles exactly these three; {@code BYE} is no answer to a request, so it is not one of them.
 */
public sealed interface Answer {

    /** From just before the send to just after the reply's line. */
    long roundTripNanos();

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
