package dev.loomcounter.server;

import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A joiner for subtasks that race: the first one to finish, successfully or not, decides, and the scope cancels the
 * others. The JDK's {@code anySuccessfulResultOrThrow()} waits past failures for a success; a connection's reader and
 * worker must not: if either stops, for any reason, the connection is over.
 *
 * <p>Writing a {@link Joiner} is the JEP 505 way to give a scope its own policy: {@code onComplete} runs in each
 * subtask's thread as it finishes, and returning {@code true} cancels the scope.
 */
final class FirstToFinish<T> implements Joiner<T, T> {

    private final AtomicReference<Subtask<? extends T>> first = new AtomicReference<>();

    @Override
    public boolean onComplete(Subtask<? extends T> subtask) {
        // Subtasks cancelled after the first one finished complete as UNAVAILABLE: they do not count.
        return subtask.state() != Subtask.State.UNAVAILABLE && first.compareAndSet(null, subtask);
    }

    @Override
    public T result() throws Throwable {
        Subtask<? extends T> winner = first.get();
        if (winner == null) {
            throw new IllegalStateException("no subtask finished");
        }
        return switch (winner.state()) {
            case SUCCESS -> winner.get();
            case FAILED -> throw winner.exception();
            case UNAVAILABLE -> throw new AssertionError("an unavailable subtask was recorded as first");
        };
    }
}
