package dev.loomcounter.protocol;

/**
 * What a client's line asks for, once parsed: a count, a stop, or a line the server rejects.
 * Sealed, so that the server's {@code switch} over it must handle every case.
 */
public sealed interface Request {

    /** {@code <start> <increments>}: count from start, one increment per subtask. */
    record Count(long start, int increments) implements Request {
        public Count {
            if (increments < 0) {
                throw new IllegalArgumentException("increments must not be negative: " + increments);
            }
            if (start > Long.MAX_VALUE - increments) {
                throw new IllegalArgumentException("start + increments overflows: " + start + " + " + increments);
            }
        }

        /** The answer the server must give: the counter after every subtask has added its one. */
        public long expectedResult() {
            return start + increments;
        }
    }

    /** {@code STOP}: the client leaves; the server answers {@code BYE} and closes the connection. */
    record Stop() implements Request {
    }

    /** A line that is not a valid request; the server answers with this error and, usually, keeps the connection. */
    record Rejected(ErrorCode code, String reason) implements Request {
    }
}
