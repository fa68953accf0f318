package dev.loomcounter.client.link;

/**
 * A connection to the server could not be made or went wrong. Its message is one whole line for a person, naming the
 * address and what happened ({@code cannot connect to 127.0.0.1:7007: connection refused}); it carries no stack trace,
 * because a client never prints one.
 */
public final class LinkException extends Exception {

    private static final long serialVersionUID = 1L;

    public LinkException(String message) {
        super(message, null, false, false);
    }
}
