package dev.loomcounter.live;

import dev.loomcounter.counting.Watcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

/**
 * The server's scopes, and the threads each one forked: the tree that {@link ThreadDump} walks.
 *
 * <p>Why the server keeps its own record: the JDK keeps the same tree (its thread containers), but the only public
 * way to read it is the JDK's whole-process JSON dump, and on JDK 25.0.3 that dump can crash a JVM whose virtual
 * threads mount and unmount while it runs (see {@link ThreadDump}). Knowing its own scopes, the server can walk them
 * with {@link Thread#getStackTrace()}, which is safe at any moment.
 *
 * <p>What it costs: the tree is a set of {@linkplain Branch branches}, one per connection (and one for the server's
 * own scope). A connection's scopes, its own and its requests', are recorded in its branch, under a lock that only
 * the connection's threads and a dump take; the server-wide set changes once when a connection opens and once when it
 * closes, never per request. A thread is added to its scope's array by the scope's owner, inside {@code fork()}.
 * Nothing is done on the forked thread itself, and nothing per thread is added to its stack.
 */
public final class ThreadTree {

    /** Room for the threads of a request of up to this many increments, before a scope's array grows. */
    private static final int FIRST_CAPACITY = 16;

    /** The tree of a recorder that nothing watches: it records nothing, and its scopes cost nothing. */
    static final ThreadTree NONE = new ThreadTree(false);

    private final boolean recording;
    private final Set<Branch> branches = ConcurrentHashMap.newKeySet();

    ThreadTree() {
        this(true);
    }

    private ThreadTree(boolean recording) {
        this.recording = recording;
    }

    /** A branch of its own for the scopes of one connection, in the tree while any of them is open. */
    public Branch branch() {
        return new Branch();
    }

    /** A scope in a branch of its own: see {@link Branch#scope}. */
    public Scope scope(String name, ThreadFactory factory) {
        return branch().scope(name, factory);
    }

    /** The scopes open now, in the order they were opened. */
    List<Scope> open() {
        List<Scope> list = new ArrayList<>();
        for (Branch branch : branches) {
            branch.addOpenTo(list);
        }
        list.sort(Comparator.comparingLong(Scope::order));
        return list;
    }

    /** The scopes of one connection: opened and closed by its own threads, one after another or nested. */
    public final class Branch {

        /** Guarded by itself. A connection has its own scope open, and at most a few requests' scopes inside it. */
        private final List<Scope> open = new ArrayList<>(2);

        private Branch() {
        }

        /**
         * A scope named {@code name}, owned by the calling thread, whose threads {@code factory} makes: give it to
         * the scope as its thread factory, and close it after the scope ({@code try (var threads = branch.scope(...);
         * var scope = StructuredTaskScope.open(..., config -> config.withThreadFactory(threads)))}: resources close in
         * reverse order, so the scope has joined every thread before this record of it goes).
         */
        public Scope scope(String name, ThreadFactory factory) {
            if (!recording) {
                return new Scope(this, name, Thread.currentThread(), 0, factory);
            }
            // System.nanoTime() orders the scopes one owner opens, which is all the parent rule compares: no counter
            // shared by every request.
            Scope scope = new Scope(this, name, Thread.currentThread(), System.nanoTime(), factory);
            synchronized (open) {
                // In the server-wide set while any of its scopes is open; changed under this lock, so that a scope
                // opened as the last one closes cannot leave its branch out of the set.
                if (open.isEmpty()) {
                    branches.add(this);
                }
                open.add(scope);
            }
            return scope;
        }

        private void closed(Scope scope) {
            synchronized (open) {
                open.remove(scope);
                if (open.isEmpty()) {
                    branches.remove(this);
                }
            }
        }

        private void addOpenTo(List<Scope> list) {
            synchronized (open) {
                list.addAll(open);
            }
        }
    }

    /** Branches in the tree now, each with at least one open scope: for tests. */
    int branchesOpen() {
        return branches.size();
    }

    /** One open scope: its name, its owner, and the threads it forked that may still run. */
    public final class Scope implements Watcher.ScopeThreads {

        private final Branch branch;
        private final String name;
        private final Thread owner;
        private final long order;
        private final ThreadFactory factory;
        /**
         * The threads it forked, in {@code threads[0, count)}; guarded by this scope's monitor. An array made at the
         * first fork, doubled when full unless dropping the threads that have ended makes room: a request's scope
         * allocates one array, and a long-lived scope (the server's) stays as small as the threads it still runs.
         */
        private Thread[] threads;
        private int count;

        private Scope(Branch branch, String name, Thread owner, long order, ThreadFactory factory) {
            this.branch = branch;
            this.name = name;
            this.owner = owner;
            this.order = order;
            this.factory = factory;
        }

        /** Called by {@code fork()}, on the owner's thread, before it starts the thread. */
        @Override
        public Thread newThread(Runnable task) {
            Thread thread = factory.newThread(task);
            if (recording && thread != null) {
                synchronized (this) {
                    if (threads == null) {
                        threads = new Thread[FIRST_CAPACITY];
                    } else if (count == threads.length) {
                        makeRoom();
                    }
                    threads[count++] = thread;
                }
            }
            return thread;
        }

        /** Drops the threads that have ended; doubles the array if that frees less than half of it. */
        private void makeRoom() {
            int kept = 0;
            for (int i = 0; i < count; i++) {
                if (threads[i].getState() != Thread.State.TERMINATED) {
                    threads[kept++] = threads[i];
                }
            }
            Arrays.fill(threads, kept, count, null);
            count = kept;
            if (kept > threads.length / 2) {
                threads = Arrays.copyOf(threads, 2 * threads.length);
            }
        }

        String name() {
            return name;
        }

        Thread owner() {
            return owner;
        }

        long order() {
            return order;
        }

        /** Threads it holds on to now, ended ones included until it next makes room: for tests. */
        synchronized int recorded() {
            return count;
        }

        /** Its threads that have started and not yet ended. */
        synchronized List<Thread> alive() {
            List<Thread> alive = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                if (threads[i].isAlive()) {
                    alive.add(threads[i]);
                }
            }
            return alive;
        }

        /** Called once the scope has closed: every thread it forked has ended. */
        @Override
        public void close() {
            if (recording) {
                branch.closed(this);
            }
        }
    }
}
