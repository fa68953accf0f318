package dev.loomcounter.course.solutions;

import dev.loomcounter.course.Unstructured.Increments;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Solution to the structured-against-unstructured lesson's exercise 2: the request's increments, at most
 * {@code permits} of them working at once, across all requests that share the semaphore. Every increment still gets
 * its own virtual thread at once (forking stays cheap, and cancellation reaches the waiting ones too); the semaphore
 * only limits how many do their work at the same time.
 */
public final class LimitedIncrements {

    private final Semaphore permits;

    public LimitedIncrements(int permits) {
        this.permits = new Semaphore(permits);
    }

    public long count(long start, int increments, Duration work, Increments running) throws InterruptedException {
        AtomicLong counter = new AtomicLong(start);
        try (var scope = StructuredTaskScope.open(Joiner.<Long>awaitAllSuccessfulOrThrow())) {
            for (int i = 0; i < increments; i++) {
                scope.fork(() -> {
                    // Interruptible: a cancelled request stops waiting for a permit too.
                    permits.acquire();
                    try {
                        return running.increment(counter, work);
                    } finally {
                        permits.release();
                    }
                });
            }
            scope.join();
            return counter.get();
        }
    }
}
