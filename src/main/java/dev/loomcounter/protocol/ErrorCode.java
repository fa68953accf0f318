package dev.loomcounter.protocol;

import java.util.Arrays;
import java.util.Optional;

/**
 * The error codes of the wire protocol: the word after {@code ERR} on an error line.
 * A client branches on the code; the text after it is for people.
 */
public enum ErrorCode {
    /** Not exactly two integers, an empty line, garbage, not UTF-8, or a number out of 64-bit range. */
    BAD_REQUEST("bad-request", true),
    NEGATIVE_INCREMENTS("negative-increments", true),
    TOO_MANY_INCREMENTS("too-many-increments", true),
    /** start + increments would leave the 64-bit range. */
    OVERFLOW("overflow", true),
    /** The request ran longer than the server's request timeout; its subtasks were cancelled. */
    TIMEOUT("timeout", true),
    /** The server is stopping and takes no new requests. */
    SHUTTING_DOWN("shutting-down", true),
    /**
     * The server already runs as many subtasks as it may ({@code --max-subtasks}); this request was not started.
     * Try again later: the connection stays open.
     */
    OVERLOADED("overloaded", true),
    /** Something failed inside the server while counting; the server's log says what. The connection stays open. */
    INTERNAL("internal", true),
    /** A line longer than the server accepts; the server then closes the connection. */
    LINE_TOO_LONG("line-too-long", false),
    /** The server already serves as many connections as it may; it closes this one. */
    BUSY("busy", false);

    private final String wireName;
    private final boolean connectionStaysOpen;

    ErrorCode(String wireName, boolean connectionStaysOpen) {
        this.wireName = wireName;
        this.connectionStaysOpen = connectionStaysOpen;
    }

    /** The code as it is written on the wire, e.g. {@code too-many-increments}. */
    public String wireName() {
        return wireName;
    }

    /** Whether the server goes on serving the connection after sending this error. */
    public boolean connectionStaysOpen() {
        return connectionStaysOpen;
    }

    public static Optional<ErrorCode> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(code -> code.wireName.equals(wireName)).findFirst();
    }
}
