package dev.loomcounter.course;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructureViolationException;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The scoped values lesson: a request's context bound once, read by every subtask of the request's scope, invisible
 * to a thread outside it; the structure the API enforces; and what {@code InheritableThreadLocal} costs instead.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:exec@course -Dexample=ScopedValues}
 */
public final class ScopedValues {

    /** The request a thread works for. Bound for the time of one request; immutable while bound. */
    static final ScopedValue<String> REQUEST = ScopedValue.newInstance();

    private ScopedValues() {
    }

    /** What one part of the program saw of {@link #REQUEST}. */
    public record Seen(String who, String request) {
        @Override
        public String toString() {
            return who + " sees " + request;
        }
    }

    /** The heap and the time that {@code threads} subtasks took, each holding a request context of some kind. */
    public record Cost(String context, int threads, long heapBytes, Duration forking) {
    }

    public static void main(String[] args) throws Exception {
        ScopedValue.where(REQUEST, "conn-1/req-1").call(ScopedValues::whoSeesTheRequest).forEach(System.out::println);
        System.out.println("after the binding, main sees " + REQUEST.orElse("(unbound)"));
        System.out.println(structureViolation());

        int threads = 100_000;
        // A first pass warms up: interpreted frames are larger than compiled ones, and so are the parked stacks.
        cost(Context.NONE, threads);
        System.out.printf("%,d subtasks, each with 8 context values:%n", threads);
        for (Cost cost : List.of(cost(Context.NONE, threads), cost(Context.INHERITABLE_THREAD_LOCAL, threads),
                cost(Context.SCOPED_VALUE, threads))) {
            System.out.printf("  %-24s heap %,6.1f MB, forked in %,5d ms%n", cost.context(),
                    cost.heapBytes() / 1e6, cost.forking().toMillis());
        }
    }

    /**
     * Runs with {@link #REQUEST} bound: the owner, two subtasks forked in a scope, a scope nested in a subtask, and
     * a thread started outside any scope.
     */
    static List<Seen> whoSeesTheRequest() throws InterruptedException {
        try (var scope = StructuredTaskScope.open(Joiner.<Seen>allSuccessfulOrThrow())) {
            // A subtask inherits the bindings of the thread that opened the scope: no copy, the same immutable values.
            Subtask<Seen> first = scope.fork(() -> new Seen("subtask 1", REQUEST.get()));
            Subtask<Seen> second = scope.fork(() -> nestedSubtask());
            // A thread started with Thread.ofVirtual() is not in the scope's tree, and inherits nothing.
            AtomicReference<Seen> outside = new AtomicReference<>();
            Thread stray = Thread.ofVirtual().start(
                    () -> outside.set(new Seen("a thread outside the scope", REQUEST.orElse("(unbound)"))));
            scope.join();
            stray.join();
            return List.of(new Seen("the owner", REQUEST.get()), first.get(), second.get(), outside.get());
        }
    }

    /** Scopes nest: a subtask's own subtasks inherit the same bindings, as deep as the tree goes. */
    private static Seen nestedSubtask() throws InterruptedException {
        try (var scope = StructuredTaskScope.open(Joiner.<Seen>anySuccessfulResultOrThrow())) {
            scope.fork(() -> new Seen("a subtask of subtask 2", REQUEST.get()));
            return scope.join();
        }
    }

    /**
     * Forks from inside a binding made after the scope was opened: the subtask would see a binding that ends before
     * the scope does, so fork refuses. Returns what happened.
     */
    static String structureViolation() throws InterruptedException {
        try (var scope = StructuredTaskScope.open(Joiner.awaitAll())) {
            try {
                ScopedValue.where(REQUEST, "conn-1/req-2").run(() -> scope.fork(() -> REQUEST.get()));
                return "forked (not expected)";
            } catch (StructureViolationException e) {
                return "fork inside a newer binding: " + e.getClass().getSimpleName();
            } finally {
                scope.join();
            }
        }
    }

    /** How a subtask gets its request context. */
    enum Context {
        NONE, INHERITABLE_THREAD_LOCAL, SCOPED_VALUE;

        @Override
        public String toString() {
            return switch (this) {
                case NONE -> "no context";
                case INHERITABLE_THREAD_LOCAL -> "InheritableThreadLocal";
                case SCOPED_VALUE -> "ScopedValue";
            };
        }
    }

    private static final int VALUES = 8;

    private static final List<InheritableThreadLocal<String>> LOCALS =
            Stream.generate(InheritableThreadLocal<String>::new).limit(VALUES).toList();
    private static final List<ScopedValue<String>> SCOPED =
            Stream.generate(ScopedValue::<String>newInstance).limit(VALUES).toList();

    /**
     * Forks {@code threads} subtasks that each read the context and park until all are running, then measures the
     * heap they hold (after a GC) and the time the forks took. Each fork copies the parent's inheritable thread
     * locals into a map of the new thread's own; scoped value bindings are shared, one reference per thread.
     */
    public static Cost cost(Context context, int threads) throws InterruptedException {
        return switch (context) {
            case NONE -> forkAll(context, threads);
            case INHERITABLE_THREAD_LOCAL -> {
                for (int i = 0; i < VALUES; i++) {
                    LOCALS.get(i).set("value-" + i);
                }
                try {
                    yield forkAll(context, threads);
                } finally {
                    for (InheritableThreadLocal<String> local : LOCALS) {
                        local.remove();
                    }
                }
            }
            case SCOPED_VALUE -> {
                ScopedValue.Carrier bindings = ScopedValue.where(SCOPED.getFirst(), "value-0");
                for (int i = 1; i < VALUES; i++) {
                    bindings = bindings.where(SCOPED.get(i), "value-" + i);
                }
                yield bindings.call(() -> forkAll(context, threads));
            }
        };
    }

    private static Cost forkAll(Context context, int threads) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(threads);
        CountDownLatch release = new CountDownLatch(1);
        long heapBefore = usedHeapAfterGc();
        try (var scope = StructuredTaskScope.open(Joiner.<Integer>awaitAllSuccessfulOrThrow())) {
            long began = System.nanoTime();
            for (int i = 0; i < threads; i++) {
                scope.fork(() -> {
                    int length = read(context).length();
                    running.countDown();
                    release.await();
                    return length;
                });
            }
            Duration forking = Duration.ofNanos(System.nanoTime() - began);
            running.await();
            long heap = usedHeapAfterGc() - heapBefore;
            release.countDown();
            scope.join();
            return new Cost(context.toString(), threads, heap, forking);
        }
    }

    private static String read(Context context) {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < VALUES; i++) {
            all.append(switch (context) {
                case NONE -> "";
                case INHERITABLE_THREAD_LOCAL -> LOCALS.get(i).get();
                case SCOPED_VALUE -> SCOPED.get(i).get();
            });
        }
        return all.toString();
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
