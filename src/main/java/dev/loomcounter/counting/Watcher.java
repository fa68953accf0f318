package dev.loomcounter.counting;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/**
 * Whoever watches the counting from outside: the live view, or nobody. The counting core calls it and knows nothing
 * else about it, so that the core depends on nothing that watches it.
 *
 * <p>Every call but {@link #scope} is made on the thread whose event it reports (a subtask's own thread, a CPU-pool
 * thread), so that a watcher can read which carrier that thread is mounted on at that moment.
 */
public interface Watcher {

    /** The watcher of counting that nothing watches: tests and benchmarks. */
    Watcher NONE = new Watcher() {
        @Override
        public ScopeThreads scope(String name, ThreadFactory factory) {
            return factory::newThread;
        }
    };

    /**
     * The thread factory for the scope named {@code name}, which the watcher may record (the live view's thread dump
     * walks these). Called by the scope's owner just before it opens the scope, and closed right after the scope.
     */
    ScopeThreads scope(String name, ThreadFactory factory);

    /** The subtask {@code index} of {@code request} begins, on its own thread. */
    default void subtaskStarted(String request, int index) {
    }

    /** The subtask incremented the counter, and ends. */
    default void subtaskDone(String request, int index) {
    }

    /** The subtask stops without incrementing: cancelled, or failed. */
    default void subtaskCancelled(String request, int index) {
    }

    /** A CPU-pool thread ran one slice of spin work, {@code length} long, for the subtask thread {@code subtask}. */
    default void sliceRan(String subtask, Duration length) {
    }

    /** A scope's thread factory, closed after the scope: once its owner has seen every thread it forked end. */
    interface ScopeThreads extends ThreadFactory, AutoCloseable {
        @Override
        default void close() {
        }
    }
}
