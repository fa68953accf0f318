package dev.loomcounter.live;

/**
 * One thing the server did, as the live page draws it. Times are microseconds since the recorder started, taken on
 * the thread that did the thing: the page places each mark where it happened, however late its batch arrives.
 *
 * <p>Each event writes itself as a short JSON array, {@code ["ss", time, ...]}: thousands go out every second, and
 * field names would double the bytes.
 *
 * <p>A request's start is any {@code long}, and the load client draws it from the whole range: it goes out as a
 * string, {@code "-9223372036854775800"}, since the page's {@code JSON.parse} keeps only 53 bits of a number. Every
 * other number here (times and lengths in microseconds, indexes, increments) stays far below 2^53 and is a number.
 */
sealed interface Event {

    long micros();

    /** Appends this event as one JSON array. */
    void writeTo(StringBuilder json);

    record ConnectionOpened(long micros, String connection) implements Event {
        @Override
        public void writeTo(StringBuilder json) {
            Json.array(json, "co", micros).string(connection).end();
        }
    }

    record ConnectionClosed(long micros, String connection, String why) implements Event {
        @Override
        public void writeTo(StringBuilder json) {
            Json.array(json, "cc", micros).string(connection).string(why).end();
        }
    }

    /**
     * A request's scope opened and forked its subtasks: all of them are queued until their thread first runs. The
     * start is written as a string, exact for any {@code long}.
     */
    record RequestStarted(long micros, String request, long start, int increments) implements Event {
        @Override
        public void writeTo(StringBuilder json) {
            Json.array(json, "rs", micros).string(request).int64(start).number(increments).end();
        }
    }

    record RequestEnded(long micros, String request, RequestOutcome outcome, long latencyMicros) implements Event {
        @Override
        public void writeTo(StringBuilder json) {
            Json.array(json, "re", micros).string(request).string(outcome.label()).number(latencyMicros).end();
        }
    }

    /** A subtask's thread began to run its body, mounted on {@code carrier}. */
    record SubtaskStarted(long micros, String request, int index, String carrier) implements Event {
        @Override
        public void writeTo(StringBuilder json) {
            Json.array(json, "ss", micros).string(request).number(index).string(carrier).end();
        }
    }

    /** A subtask finished (it incremented the counter) or was cancelled, on {@code carrier}. */
    record SubtaskEnded(long micros, String request, int index, String carrier, boolean done) implements Event {
        @Override
        public void writeTo(StringBuilder json) {
            Json.array(json, done ? "sd" : "sx", micros).string(request).number(index).string(carrier).end();
        }
    }

    /** One slice of spin work ran on a CPU-pool thread for the subtask thread named {@code subtask}. */
    record SliceRan(long micros, String subtask, String poolThread, long lengthMicros) implements Event {
        @Override
        public void writeTo(StringBuilder json) {
            Json.array(json, "sl", micros).string(subtask).string(poolThread).number(lengthMicros).end();
        }
    }
}
