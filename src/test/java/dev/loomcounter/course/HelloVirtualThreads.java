package dev.loomcounter.course;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * Lesson 0: hello, virtual threads. One virtual thread, then 100,000 sleeping tasks on a handful of carriers, then
 * what a parked virtual thread weighs on the heap, then the difference between concurrency and parallelism.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:exec@course -Dexample=HelloVirtualThreads}
 */
public final class HelloVirtualThreads {

    private HelloVirtualThreads() {
    }

    /** How long many concurrent sleepers took, and on how many distinct carriers they ran. */
    public record Sleepers(int tasks, Duration elapsed, int carriers) {
    }

    /** How long a few CPU-bound tasks took, against the time one of them takes alone. */
    public record Spinners(int tasks, Duration alone, Duration together) {
    }

    public static void main(String[] args) throws Exception {
        // A virtual thread is a java.lang.Thread: the same API, a different builder.
        Thread hello = Thread.ofVirtual().name("hello").start(
                () -> System.out.println("running on " + Thread.currentThread()));
        hello.join();
        System.out.println("isVirtual: " + hello.isVirtual() + ", cores: " + Runtime.getRuntime().availableProcessors());

        Sleepers sleepers = sleepers(100_000, Duration.ofSeconds(1));
        System.out.printf("%,d tasks slept 1 s each: all done in %,d ms, on %d carriers%n", sleepers.tasks(),
                sleepers.elapsed().toMillis(), sleepers.carriers());

        System.out.printf("a parked virtual thread: about %,d bytes of heap (10,000 parked)%n",
                heapPerParkedThread(10_000));

        Spinners spinners = spinners(4 * Runtime.getRuntime().availableProcessors(), 50_000_000);
        System.out.printf("%d CPU-bound tasks: one alone %,d ms, all at once %,d ms%n", spinners.tasks(),
                spinners.alone().toMillis(), spinners.together().toMillis());
    }

    /**
     * {@code tasks} virtual threads that each sleep {@code sleep}, all at once. A sleeping virtual thread is unmounted
     * from its carrier, so a few carriers run them all: the whole takes about one sleep, not {@code tasks} of them.
     */
    public static Sleepers sleepers(int tasks, Duration sleep) {
        Set<String> carriers = ConcurrentHashMap.newKeySet();
        long began = System.nanoTime();
        // One new virtual thread per task, no pool to size; close() waits for every task (the executor is
        // AutoCloseable since JDK 19).
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            IntStream.range(0, tasks).forEach(i -> executor.submit(() -> {
                Thread.sleep(sleep);
                carriers.add(carrierOf(Thread.currentThread()));
                return i;
            }));
        }
        return new Sleepers(tasks, Duration.ofNanos(System.nanoTime() - began), carriers.size());
    }

    /** {@code VirtualThread[#22]/runnable@ForkJoinPool-1-worker-1} is mounted on {@code ForkJoinPool-1-worker-1}. */
    static String carrierOf(Thread thread) {
        String text = thread.toString();
        return text.substring(text.indexOf('@') + 1);
    }

    /**
     * Starts {@code count} virtual threads that park on a latch, and returns the heap they hold, per thread: the
     * {@code Thread} object, its continuation, and the stack chunk where its frames wait while it is unmounted.
     * A rough figure (the heap is measured after a GC, other threads allocate too), but the right order of magnitude.
     */
    public static long heapPerParkedThread(int count) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(count);
        CountDownLatch release = new CountDownLatch(1);
        long before = usedHeapAfterGc();
        Thread[] threads = new Thread[count];
        for (int i = 0; i < count; i++) {
            threads[i] = Thread.ofVirtual().start(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        started.await();
        long after = usedHeapAfterGc();
        release.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        return Math.max(0, after - before) / count;
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Concurrency is not parallelism: {@code tasks} CPU-bound virtual threads, each {@code iterations} of a busy loop.
     * They are all started at once (concurrency), but only as many run at a time as there are carriers, one per core
     * (parallelism): together they take about {@code tasks / cores} times one alone.
     */
    public static Spinners spinners(int tasks, long iterations) throws InterruptedException {
        long began = System.nanoTime();
        spinOn(1, iterations);
        Duration alone = Duration.ofNanos(System.nanoTime() - began);
        began = System.nanoTime();
        spinOn(tasks, iterations);
        return new Spinners(tasks, alone, Duration.ofNanos(System.nanoTime() - began));
    }

    private static void spinOn(int tasks, long iterations) throws InterruptedException {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < tasks; i++) {
                executor.submit(() -> spin(iterations));
            }
        }
    }

    /** A busy loop the JIT cannot remove: its result is used. */
    static long spin(long iterations) {
        long x = 0;
        for (long i = 0; i < iterations; i++) {
            x = x * 31 + i;
        }
        return x;
    }
}
