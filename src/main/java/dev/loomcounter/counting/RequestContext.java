package dev.loomcounter.counting;

import java.util.Objects;

/**
 * The request being counted, bound in a {@link ScopedValue} around the request's scope (JEP 506, final in JDK 25).
 *
 * <p>Why a scoped value and not a parameter: every thread of the request needs to know which request it serves (for
 * its log lines, and for its turn on the fair CPU pool), and the threads that need it are the subtasks, which the
 * caller never sees. {@code StructuredTaskScope.fork} copies the owner's bindings into each subtask's thread, so the
 * context reaches exactly the request's own threads, read-only, and is gone when the caller's {@code call} returns.
 * Unlike a {@code ThreadLocal}, nothing can set it halfway down, and nothing leaks to a thread started outside the
 * scope.
 *
 * @param connection the connection, e.g. {@code conn-3}
 * @param request    the request, e.g. {@code conn-3/req-2}: names the scope, its threads and its log lines
 * @param watcher    whom the request's threads report to (the live view); {@link Watcher#NONE} when nobody watches
 */
public record RequestContext(String connection, String request, Watcher watcher) {

    /** Bound by the caller of {@link RequestCounter#count}; read by the request's subtasks. */
    public static final ScopedValue<RequestContext> CURRENT = ScopedValue.newInstance();

    public RequestContext {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(watcher, "watcher");
    }

    /** A request that nothing watches: for counting outside a server (tests, benchmarks). */
    public RequestContext(String connection, String request) {
        this(connection, request, Watcher.NONE);
    }
}
