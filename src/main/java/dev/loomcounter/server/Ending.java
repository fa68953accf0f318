package dev.loomcounter.server;

/**
 * Decided on the connection's own thread as it ends: why it ended, for its last log line. When a read or a write
 * broke, {@link #gone} decides why, and nothing else does.
 */
enum Ending {
    /** The client sent STOP; everything before it was answered, then BYE. */
    STOPPED("client sent STOP"),
    /** The client closed its side (FIN): everything it sent was answered. */
    CLIENT_DONE("client finished sending"),
    /** The connection was reset, or a reply could not be written: the client is gone, its work was cancelled. */
    HUNG_UP("client hung up"),
    /** No request for longer than the idle timeout, or a line that did not arrive whole within it. */
    IDLE("idle for too long"),
    /** The client sent a line longer than the limit; it was answered ERR line-too-long. */
    LINE_TOO_LONG("line too long"),
    /** The client did not take a reply within the write timeout; its work was cancelled. */
    WRITE_TIMEOUT("client did not read its replies in time"),
    /** The server is shutting down and closed the connection. */
    SERVER_SHUTDOWN("server shutting down"),
    /** Something failed in the server itself; the log says what. */
    FAILED("failed");

    private final String description;

    Ending(String description) {
        this.description = description;
    }

    /**
     * Why the connection ended when a read or a write broke, in this order: a shutdown closes every connection, and
     * the timeout watch closes one stuck in a write or idle; any other broken read or write is the client hanging up.
     */
    static Ending gone(boolean shuttingDown, boolean writeTimedOut, boolean idleTimedOut) {
        return shuttingDown ? SERVER_SHUTDOWN
                : writeTimedOut ? WRITE_TIMEOUT
                : idleTimedOut ? IDLE
                : HUNG_UP;
    }

    String description() {
        return description;
    }
}
