package dev.loomcounter.live;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A JSON thread dump of the server, in the shape {@code jcmd <pid> Thread.dump_to_file -format=json} writes: thread
 * containers, each with its parent, its owner and its threads, so that a {@code StructuredTaskScope} shows up as a
 * node of a tree (server, then conn-1, then conn-1/req-1 with its increments).
 *
 * <p>Why not the JDK's own dump ({@code HotSpotDiagnosticMXBean.dumpThreads}, or jcmd): on JDK 25.0.3 it can crash
 * the JVM with a SIGSEGV when virtual threads mount or unmount while it walks them, which a loaded server does all the
 * time (upstream JDK-8364343: the snapshot it takes does not stop a virtual thread from mounting, as
 * {@code Thread.getStackTrace()} does). So this dump walks the server's own record of its scopes ({@link ThreadTree})
 * and asks each thread for {@link Thread#getStackTrace()}: for an unmounted virtual thread that briefly keeps it from
 * mounting, for a mounted one it asks its carrier, and it retries while the thread is between the two. Platform
 * threads come from {@link Thread#getAllStackTraces()}.
 *
 * <p>What it does not show that the JDK's does: virtual threads the server did not fork (the JDK's socket pollers),
 * and lock details. What it bounds: one dump at a time, a dump asked for within {@link #FRESH} of the last one is that
 * one again, and at most {@link #MAX_THREADS} threads carry their stacks, so that a server with ten thousand
 * connections answers with a page, not with hundreds of megabytes.
 */
final class ThreadDump {

    /** A dump this young is served again rather than taken again: a page's button pressed in a loop costs one a second. */
    static final Duration FRESH = Duration.ofSeconds(1);
    /** Threads listed with their stacks; the rest are counted. */
    static final int MAX_THREADS = 1_000;
    /** Frames kept of each stack, from the top. */
    static final int MAX_FRAMES = 64;

    private static final String ROOT = "<root>";

    private final ThreadTree tree;
    private final String carrierPrefix;
    private final long freshNanos;
    private final ReentrantLock taking = new ReentrantLock();
    private final LongAdder taken = new LongAdder();
    /** Guarded by taking. */
    private String last;
    private long lastTakenNanos;

    /**
     * @param tree          the server's scopes
     * @param carrierPrefix the carriers' common name, e.g. {@code ForkJoinPool-1-worker-}: their own container
     */
    ThreadDump(ThreadTree tree, String carrierPrefix) {
        this(tree, carrierPrefix, FRESH);
    }

    /** As above, with another freshness: for tests, which must not depend on how fast a machine takes a dump. */
    ThreadDump(ThreadTree tree, String carrierPrefix, Duration fresh) {
        this.tree = tree;
        this.carrierPrefix = carrierPrefix;
        this.freshNanos = fresh.toNanos();
    }

    /** The dump as JSON: a fresh one, or the last one if it is still fresh. */
    String json() {
        // One dump at a time: a second request waits for the first and is then served its result.
        taking.lock();
        try {
            long now = System.nanoTime();
            if (last == null || now - lastTakenNanos >= freshNanos) {
                last = take();
                lastTakenNanos = System.nanoTime();
                taken.increment();
            }
            return last;
        } finally {
            taking.unlock();
        }
    }

    /** Dumps really taken, not served again: for tests and for the curious. */
    long taken() {
        return taken.sum();
    }

    private String take() {
        Budget budget = new Budget();
        Out json = new Out();
        json.begin(null, '{').begin("threadDump", '{')
                .string("processId", Long.toString(ProcessHandle.current().pid()))
                .string("time", Instant.now().toString())
                .string("runtimeVersion", Runtime.version().toString())
                .string("source", "the server's own scopes; stacks from Thread.getStackTrace()")
                .begin("threadContainers", '[');

        List<ThreadTree.Scope> scopes = tree.open();
        Map<Thread, String> scopeOfThread = new HashMap<>();
        Map<ThreadTree.Scope, List<Thread>> threadsOf = new HashMap<>();
        for (ThreadTree.Scope scope : scopes) {
            List<Thread> threads = scope.alive();
            threadsOf.put(scope, threads);
            threads.forEach(thread -> scopeOfThread.put(thread, scope.name()));
        }

        // The platform threads, in one safepoint: carriers in a container of their own, the rest at the root, but
        // for those the server forked into a scope (with --threads platform), which are listed in their scope.
        List<Listed> root = new ArrayList<>();
        List<Listed> carriers = new ArrayList<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (!scopeOfThread.containsKey(thread)) {
                (thread.getName().startsWith(carrierPrefix) ? carriers : root).add(new Listed(thread, stack));
            }
        });
        root.sort(Listed.BY_ID);
        carriers.sort(Listed.BY_ID);
        container(json, ROOT, null, null, root);
        container(json, carrierPrefix.replaceFirst("-worker-$", ""), ROOT, null, carriers);

        for (ThreadTree.Scope scope : scopes) {
            List<Listed> threads = new ArrayList<>();
            for (Thread thread : threadsOf.get(scope)) {
                // Asked here, one thread at a time, and only while the budget lasts: each call is a handshake with
                // a carrier or a brief hold on an unmounted thread.
                threads.add(new Listed(thread, budget.hasRoom() ? thread.getStackTrace() : null));
                budget.spend();
            }
            container(json, scope.name(), parentOf(scope, scopes, scopeOfThread), scope.owner(), threads);
        }
        return json.end(']').end('}').end('}').toString();
    }

    /**
     * The JDK's rule: a scope's parent is the innermost scope its owner still has open, or else the scope the owner
     * itself was forked into. A connection's thread owns {@code conn-1} and opens {@code conn-1/req-1} inside it; a
     * worker of {@code conn-1} opens {@code conn-1/req-2}: both requests are children of {@code conn-1}.
     */
    private static String parentOf(ThreadTree.Scope scope, List<ThreadTree.Scope> open,
                                   Map<Thread, String> scopeOfThread) {
        String parent = null;
        for (ThreadTree.Scope other : open) {
            if (other.owner() == scope.owner() && other.order() < scope.order()) {
                parent = other.name();
            }
        }
        if (parent == null) {
            parent = scopeOfThread.getOrDefault(scope.owner(), ROOT);
        }
        return parent;
    }

    private static void container(Out json, String name, String parent, Thread owner, List<Listed> threads) {
        json.begin(null, '{')
                .string("container", name)
                .string("parent", parent)
                .string("owner", owner == null ? null : Long.toString(owner.threadId()))
                .begin("threads", '[');
        int listed = 0;
        for (Listed thread : threads) {
            if (thread.stack() != null) {
                thread(json, thread.thread(), thread.stack());
                listed++;
            }
        }
        json.end(']').string("threadCount", Integer.toString(threads.size()));
        if (listed < threads.size()) {
            json.string("threadsNotListed", Integer.toString(threads.size() - listed));
        }
        json.end('}');
    }

    private static void thread(Out json, Thread thread, StackTraceElement[] stack) {
        json.begin(null, '{').string("tid", Long.toString(thread.threadId()));
        if (thread.isVirtual()) {
            json.literal("virtual", "true");
            // No public API names a virtual thread's carrier; its toString() ends with "@" and the carrier's name.
            String carrier = Carriers.carrierOf(thread);
            if (!carrier.equals(Carriers.UNMOUNTED)) {
                json.string("carrier", carrier);
            }
        }
        json.string("name", thread.getName()).string("state", thread.getState().name()).begin("stack", '[');
        for (int i = 0; i < Math.min(stack.length, MAX_FRAMES); i++) {
            json.string(null, stack[i].toString());
        }
        json.end(']').end('}');
    }

    /**
     * JSON laid out as the JDK's dump is, one value a line, indented: {@code grep '"name"'} finds every thread, and
     * a person can read the raw file.
     */
    private static final class Out {
        private final StringBuilder json = new StringBuilder(16_384);
        private int depth;
        private boolean first = true;

        /** Opens an object or an array, as the value of {@code name}, or as an element of an array if null. */
        Out begin(String name, char bracket) {
            next(name);
            json.append(bracket);
            depth++;
            first = true;
            return this;
        }

        Out end(char bracket) {
            depth--;
            json.append('\n').append("  ".repeat(depth)).append(bracket);
            first = false;
            return this;
        }

        /** A string, or null. */
        Out string(String name, String value) {
            next(name);
            if (value == null) {
                json.append("null");
            } else {
                Json.quote(json, value);
            }
            return this;
        }

        Out literal(String name, String value) {
            next(name);
            json.append(value);
            return this;
        }

        private void next(String name) {
            if (!json.isEmpty()) {
                json.append(first ? "\n" : ",\n").append("  ".repeat(depth));
            }
            first = false;
            if (name != null) {
                Json.quote(json, name);
                json.append(": ");
            }
        }

        @Override
        public String toString() {
            return json.append('\n').toString();
        }
    }

    /** A thread and its stack, or null for a thread only counted. */
    private record Listed(Thread thread, StackTraceElement[] stack) {
        static final Comparator<Listed> BY_ID = Comparator.comparingLong(listed -> listed.thread().threadId());
    }

    /** How many more threads may be listed with their stacks. */
    private static final class Budget {
        private int left = MAX_THREADS;

        boolean hasRoom() {
            return left > 0;
        }

        void spend() {
            left--;
        }
    }
}
