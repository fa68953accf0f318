package dev.loomcounter.course;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The original's {@code global num}, three ways. Its threads each did {@code num = num + 1} on one shared variable:
 * a read, an add and a write, which another thread can interleave with. Here many virtual threads do the same on a
 * plain field, and on a machine with more than one core updates get lost: two carriers read the same value, and both
 * write it plus one. {@link AtomicLong} makes the read-add-write one indivisible step. The structured way needs no
 * shared counter at all: each subtask counts its own part and returns it, and the owner adds the parts after
 * {@code join()}, which guarantees that it sees every subtask's result.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:exec@course -Dexample=LostUpdates}
 */
public final class LostUpdates {

    /** Shared by every thread of {@link #plainField}, as the original's {@code global num}: nothing guards it. */
    private static long num;

    private LostUpdates() {
    }

    public static void main(String[] args) throws Exception {
        int threads = 10_000;
        int each = 1_000;
        System.out.printf("%,d virtual threads, %,d increments each, %,d expected:%n", threads, each,
                (long) threads * each);
        System.out.printf("  plain field, num = num + 1:  %,d%n", plainField(threads, each));
        System.out.printf("  AtomicLong.incrementAndGet:  %,d%n", atomic(threads, each));
        System.out.printf("  subtasks return their parts: %,d%n", structured(threads, each));
    }

    /** The original's way: every thread updates one unguarded variable. Returns what is left in it. */
    public static long plainField(int threads, int each) {
        num = 0;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                executor.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        num = num + 1; // read, add, write: another carrier may write in between, and one write is lost
                    }
                });
            }
        } // close() waits for every thread, and what they wrote happens-before what follows
        return num;
    }

    /** A shared counter that cannot lose an update: the read-add-write is one atomic instruction. */
    public static long atomic(int threads, int each) {
        AtomicLong counter = new AtomicLong();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                executor.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        counter.incrementAndGet();
                    }
                });
            }
        }
        return counter.get();
    }

    /**
     * Nothing shared: each subtask counts in a local variable, its own, and returns it; the owner sums the results
     * after {@code join()}. The scope's memory consistency rule (a subtask's actions happen-before its result is read
     * with {@code get()}) is what makes the sum exact.
     */
    public static long structured(int threads, int each) throws InterruptedException {
        try (var scope = StructuredTaskScope.open(Joiner.<Long>allSuccessfulOrThrow())) {
            for (int t = 0; t < threads; t++) {
                scope.fork(() -> {
                    long part = 0;
                    for (int i = 0; i < each; i++) {
                        part = part + 1;
                    }
                    return part;
                });
            }
            return scope.join().mapToLong(Subtask::get).sum();
        }
    }
}
