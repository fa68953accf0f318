package dev.loomcounter.counting;

import dev.loomcounter.live.Recorder;
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
 * <p>It carries whatever the request's threads report to: its names for the log, and the live view's
 * {@link Recorder}, so that a subtask reports its start and end without the counting code passing the recorder down.
 *
 * @param connection the connection, e.g. {@code conn-3}
 * @param request    the request, e.g. {@code conn-3/req-2}: names the scope, its threads and its log lines
 * @param live       where the request's threads report to the live view; {@link Recorder#off()} when none runs
 */
public record RequestContext(String connection, String request, Recorder live) {

    /** Bound by the caller of {@link RequestCounter#count}; read by the request's subtasks. */
    public static final ScopedValue<RequestContext> CURRENT = ScopedValue.newInstance();

    public RequestContext {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(live, "live");
    }

    /** A request that nothing watches: for counting outside a server (tests, benchmarks). */
    public RequestContext(String connection, String request) {
        this(connection, request, Recorder.off());
    }
}
