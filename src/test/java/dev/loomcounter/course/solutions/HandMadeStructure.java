package dev.loomcounter.course.solutions;

import dev.loomcounter.course.Unstructured;
import dev.loomcounter.course.Unstructured.Increments;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Solution to the structured-against-unstructured lesson's exercise 1: the request with {@code CompletableFuture},
 * leaving nothing behind when the client goes away. It takes three things the scope does by itself: an executor per
 * request (so that its tasks can be found), {@code shutdownNow()} when the caller stops waiting (so that they are
 * interrupted: {@code CompletableFuture.cancel(true)} does not interrupt), and {@code close()}, which waits for them.
 */
public final class HandMadeStructure {

    private HandMadeStructure() {
    }

    public static long completableFuture(long start, int increments, Duration work, Increments running)
            throws InterruptedException, ExecutionException {
        AtomicLong counter = new AtomicLong(start);
        // close() at the end of the try waits for every task, like a scope's close().
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            // The same futures as Unstructured.completableFuture, on this request's own executor.
            CompletableFuture<Void> all = Unstructured.allIncrements(increments, counter, work, running, executor);
            try {
                all.get();
            } catch (InterruptedException | ExecutionException e) {
                // The caller left, or an increment failed: interrupt the others, as a scope's cancel does.
                executor.shutdownNow();
                throw e;
            }
            return counter.get();
        }
    }
}
