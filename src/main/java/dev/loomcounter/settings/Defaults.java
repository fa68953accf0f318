package dev.loomcounter.settings;

import java.time.Duration;

/**
 * Every default in one place: this project's {@code constCS.py}. Each one can be overridden by the flag of the same
 * name ({@code --help} lists them).
 */
public final class Defaults {

    /** Local only unless asked: a teaching server has no business listening on every interface. */
    public static final String HOST = "127.0.0.1";
    public static final int PORT = 7007;

    /** Connections served at once (the original's MAX_NUM_CLIENT_CONNECTIONS_TO_SERVER); one more gets ERR busy. */
    public static final int MAX_CONNECTIONS = 1_000;
    /** Increments, hence subtasks, in one request. */
    public static final int MAX_INCREMENTS = 10_000;
    /** Longer request lines get ERR line-too-long and the connection is closed. */
    public static final int MAX_LINE_BYTES = 1_024;

    /** A request still running after this is cancelled and answered ERR timeout. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);
    /** A connection with no request for this long is closed. */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** On shutdown, running requests get this long to finish before they are cancelled. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    public static final WorkKind WORK = WorkKind.SPIN;
    /** As the original: one unit is 8,000,000 iterations of {@code x = x + 1.0}. */
    public static final long UNIT_ITERATIONS = 8_000_000;
    /** A unit of sleep work, about as long as a unit of spin work on a current CPU. */
    public static final Duration UNIT_DURATION = Duration.ofMillis(10);
    /** Each subtask draws 1 to this many units, as the original. */
    public static final int MAX_UNITS = 10;

    public static final ThreadKind THREADS = ThreadKind.VIRTUAL;

    /** A client gives up connecting after this long: a server that does not answer should not hang a person. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** After STOP, a client waits this long for BYE before it closes the connection anyway. */
    public static final Duration BYE_TIMEOUT = Duration.ofSeconds(2);
    /** The load client draws each request's increments from this range, both ends included. */
    public static final int LOAD_MIN_INCREMENTS = 0;
    public static final int LOAD_MAX_INCREMENTS = 10;

    private Defaults() {
    }
}
