package dev.loomcounter.client.load;

import dev.loomcounter.protocol.ErrorCode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How the replies of one part of a run were judged.
 *
 * @param timeouts requests not answered within {@code --timeout}
 * @param errors   every error code, with its count ({@code 0} included), in the protocol's order
 */
record Counts(long ok, long wrong, long timeouts, Map<ErrorCode, Long> errors) {

    Counts {
        errors = Collections.unmodifiableMap(new EnumMap<>(errors));
    }

    long errorReplies() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    long replies() {
        return ok + wrong + errorReplies();
    }

    /** Requests that got an outcome: a reply, or a timeout. */
    long outcomes() {
        return replies() + timeouts;
    }

    long problems() {
        return wrong + errorReplies() + timeouts;
    }
}
