package dev.loomcounter.course;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The structured-against-unstructured lesson: the server's request (fork one task per increment, wait for all, answer
 * the count) written three ways, and what each leaves behind when the client goes away in the middle of it: the
 * thread serving the request is interrupted, as the server's connection thread is on a hang-up. Then: a semaphore,
 * not a pool, to limit how many tasks use a scarce resource at once.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:exec@course -Dexample=Unstructured}
 */
public final class Unstructured {

    private Unstructured() {
    }

    /** One way to count a request of {@code increments}, each taking {@code work}. */
    @FunctionalInterface
    public interface Counter {
        long count(long start, int increments, Duration work, Increments running) throws Exception;
    }

    /** The increments running right now, and a latch the test (or the demo) waits on until all have started. */
    public static final class Increments {
        private final AtomicInteger running = new AtomicInteger();
        private final CountDownLatch started;

        public Increments(int expected) {
            this.started = new CountDownLatch(expected);
        }

        /** One increment: sleeps {@code work}, then adds one. Counts itself as running meanwhile. */
        public long increment(AtomicLong counter, Duration work) throws InterruptedException {
            running.incrementAndGet();
            started.countDown();
            try {
                Thread.sleep(work);
                return counter.incrementAndGet();
            } finally {
                running.decrementAndGet();
            }
        }

        public int running() {
            return running.get();
        }

        public void awaitStarted() throws InterruptedException {
            started.await();
        }
    }

    /** The server's way: a scope per request. Leaving it, for whatever reason, cancels and waits for the subtasks. */
    public static long structured(long start, int increments, Duration work, Increments running)
            throws InterruptedException {
        AtomicLong counter = new AtomicLong(start);
        try (var scope = StructuredTaskScope.open(Joiner.<Long>awaitAllSuccessfulOrThrow())) {
            for (int i = 0; i < increments; i++) {
                scope.fork(() -> running.increment(counter, work));
            }
            scope.join();
            return counter.get();
        }
    }

    /** A shared executor, as servers had before structured concurrency: futures, then get() on each. */
    static final ExecutorService SHARED = Executors.newVirtualThreadPerTaskExecutor();

    public static long executor(long start, int increments, Duration work, Increments running)
            throws InterruptedException, ExecutionException {
        AtomicLong counter = new AtomicLong(start);
        List<Future<Long>> futures = new ArrayList<>();
        for (int i = 0; i < increments; i++) {
            futures.add(SHARED.submit(() -> running.increment(counter, work)));
        }
        // Interrupted here, the method leaves, and nothing tells the futures: they run on, for nobody.
        for (Future<Long> future : futures) {
            future.get();
        }
        return counter.get();
    }

    /** The same with CompletableFuture: composed, and just as unaware of the caller leaving. */
    public static long completableFuture(long start, int increments, Duration work, Increments running)
            throws InterruptedException, ExecutionException {
        AtomicLong counter = new AtomicLong(start);
        allIncrements(increments, counter, work, running, SHARED).get();
        return counter.get();
    }

    /** The request's increments as futures on {@code executor}, and one future done when all of them are. */
    public static CompletableFuture<Void> allIncrements(int increments, AtomicLong counter, Duration work,
            Increments running, Executor executor) {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[increments];
        for (int i = 0; i < increments; i++) {
            futures[i] = CompletableFuture.supplyAsync(() -> {
                try {
                    return running.increment(counter, work);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, executor);
        }
        return CompletableFuture.allOf(futures);
    }

    /**
     * Runs {@code counter} on a thread of its own, as a connection's thread runs a request; once every increment has
     * started, the client "goes away": that thread is interrupted. Returns the increments still running once it has
     * ended.
     */
    public static int leftRunningWhenTheClientGoesAway(Counter counter, int increments) throws InterruptedException {
        Increments running = new Increments(increments);
        Thread request = Thread.ofVirtual().name("request").start(() -> {
            try {
                counter.count(0, increments, Duration.ofMinutes(1), running);
            } catch (Exception e) {
                // InterruptedException or ExecutionException: the request is over either way.
            }
        });
        running.awaitStarted();
        request.interrupt();
        request.join();
        return running.running();
    }

    /** Stops what the unstructured versions left running: the demo's own cleanup, by hand. */
    static void stopLeftovers() {
        SHARED.shutdownNow();
    }

    /**
     * {@code tasks} virtual threads, one per task, of which at most {@code permits} use the scarce resource (a
     * database with a few connections, say) at once. Returns the most that were ever inside at once.
     */
    public static int mostAtOnce(int tasks, int permits, Duration use) throws InterruptedException {
        Semaphore resource = new Semaphore(permits);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (var scope = StructuredTaskScope.open(Joiner.awaitAllSuccessfulOrThrow())) {
            for (int i = 0; i < tasks; i++) {
                scope.fork(() -> {
                    // A virtual thread that waits for a permit is parked, not holding a carrier: waiting is cheap,
                    // so the limit belongs on the resource, not on the number of threads.
                    resource.acquire();
                    try {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.sleep(use);
                        inside.decrementAndGet();
                    } finally {
                        resource.release();
                    }
                    return null;
                });
            }
            scope.join();
        }
        return most.get();
    }

    public static void main(String[] args) throws InterruptedException {
        int increments = 100;
        System.out.printf("%d increments of a minute each; the client goes away once all have started:%n", increments);
        System.out.printf("  StructuredTaskScope:   %3d still running after the request ended%n",
                leftRunningWhenTheClientGoesAway(Unstructured::structured, increments));
        System.out.printf("  ExecutorService:       %3d still running after the request ended%n",
                leftRunningWhenTheClientGoesAway(Unstructured::executor, increments));
        System.out.printf("  CompletableFuture:     %3d still running after the request ended%n",
                leftRunningWhenTheClientGoesAway(Unstructured::completableFuture, increments));
        stopLeftovers();

        System.out.printf("1,000 tasks, a semaphore of 10 permits: at most %d inside at once%n",
                mostAtOnce(1_000, 10, Duration.ofMillis(10)));
    }
}
