package dev.loomcounter.settings;

/**
 * Every default in one place: this project's {@code constCS.py}. Each one can be overridden by the flag of the same
 * name ({@code --help} lists them).
 */
public final class Defaults {

    /** Local only unless asked: a teaching server has no business listening on every interface. */
    public static final String HOST = "127.0.0.1";
    public static final int PORT = 7007;
    /** The live view's web page; 0 turns it off. */
    public static final int WEB_PORT = 7080;
    /**
     * The live view's address, loopback whatever {@code --host} says: the page and its thread dump are for the person
     * at this machine, and opening the counting port to a network is no reason to open them too.
     */
    public static final String WEB_HOST = "127.0.0.1";

    /** Connections served at once (the original's MAX_NUM_CLIENT_CONNECTIONS_TO_SERVER); one more gets ERR busy. */
    public static final int MAX_CONNECTIONS = 1_000;
    /** Increments, hence subtasks, in one request. */
    public static final int MAX_INCREMENTS = 10_000;
    /**
     * Subtasks running at once in the whole server. A request that would go over it gets ERR overloaded; a small one
     * still gets through. The CPU, not the memory, sets it: two cores finish about 18,000 subtasks of the default spin
     * work within one request timeout, and admitting more only makes every request time out (see
     * docs/reliability.md). Room for two requests of the largest size.
     */
    public static final int MAX_SUBTASKS = 20_000;
    /** Longer request lines get ERR line-too-long and the connection is closed. */
    public static final int MAX_LINE_BYTES = 1_024;

    // Durations and kinds are written as on the command line, so that the flags' defaults can name them.

    /** A request still running after this is cancelled and answered ERR timeout. */
    public static final String REQUEST_TIMEOUT = "5m";
    /** A connection with no request for this long is closed. */
    public static final String IDLE_TIMEOUT = "10m";
    /**
     * A reply the client does not take within this long (its receive window stays full) closes the connection:
     * a stuck client must not hold a thread and its request's subtasks forever.
     */
    public static final String WRITE_TIMEOUT = "5s";
    /** On shutdown, running requests get this long to finish before they are cancelled. */
    public static final String SHUTDOWN_GRACE = "2s";

    /** spin or sleep. */
    public static final String WORK = "spin";
    /** As the original: one unit is 8,000,000 iterations of {@code x = x + 1.0}. */
    public static final long UNIT_ITERATIONS = 8_000_000;
    /**
     * Spin work runs in slices of this many iterations (about a millisecond); between two slices the fair CPU pool
     * lets other requests, and the connections' I/O, have their turn.
     */
    public static final long SLICE_ITERATIONS = 1_000_000;
    /** A unit of sleep work, about as long as a unit of spin work on a current CPU. */
    public static final String UNIT_MILLIS = "10ms";
    /** Each subtask draws 1 to this many units, as the original. */
    public static final int MAX_UNITS = 10;

    /**
     * Request, connection and subtask lines a second that the log prints in full: about what a person can follow.
     * Above it, the rest of the second is folded into one summary line.
     */
    public static final int LOG_LINES_PER_SECOND = 50;

    /** virtual or platform. */
    public static final String THREADS = "virtual";
    /** on: CPU-bound work shares the cores fairly by request, and never starves the connections' I/O. */
    public static final String FAIRNESS = "on";

    /** A client gives up connecting after this long: a server that does not answer should not hang a person. */
    public static final String CONNECT_TIMEOUT = "5s";
    /** After STOP, a client waits this long for BYE before it closes the connection anyway. */
    public static final String BYE_TIMEOUT = "2s";
    /**
     * A load run's request with no reply after this long counts as failed, and its connection ends: a stalled server
     * cannot hold a run forever. k6's default, and well above what any request of the default work takes.
     */
    public static final String LOAD_TIMEOUT = "1m";
    /** The load client draws each request's increments from this range, both ends included. */
    public static final int LOAD_MIN_INCREMENTS = 0;
    public static final int LOAD_MAX_INCREMENTS = 10;

    private Defaults() {
    }
}
