package dev.loomcounter.live.http;

import java.io.IOException;

/** Answers one request: called on the connection's virtual thread, once per request, with its {@link Exchange}. */
@FunctionalInterface
public interface Handler {

    /**
     * Responds through {@code exchange}, exactly once. An exception before the response is answered {@code 500};
     * either way the connection is then closed.
     */
    void handle(Exchange exchange) throws IOException;
}
