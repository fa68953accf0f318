package dev.loomcounter.server;

/** Why a connection ended: the first of its reader and its worker to stop says. */
enum Ending {
    /** The client sent STOP; the server answers BYE. */
    STOPPED("client sent STOP"),
    /** The client closed its side or the connection broke. */
    HUNG_UP("client hung up"),
    /** No request for longer than the idle timeout. */
    IDLE("idle for too long"),
    /** The client sent a line longer than the limit; it was answered ERR line-too-long. */
    LINE_TOO_LONG("line too long"),
    /** The server is shutting down and closed the connection. */
    SERVER_SHUTDOWN("server shutting down");

    private final String description;

    Ending(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }
}
