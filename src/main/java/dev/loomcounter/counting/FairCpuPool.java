package dev.loomcounter.counting;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Platform threads, one per core, that run slices of busy loop round-robin by request.
 *
 * <p>Why this exists: virtual threads are not time-sliced. The JDK's scheduler has as many carriers as cores, and a
 * virtual thread that computes keeps its carrier until it blocks or ends. A request of a few thousand spinning
 * subtasks therefore fills every carrier and the run queue behind them, and everyone else, even another client's
 * {@code 1 5}, waits for the flood to drain. (Platform threads are time-sliced by the operating system, but fairly
 * per <em>thread</em>: the request with 2,000 threads gets 2,000 shares, the one with 5 gets 5.) So a subtask hands
 * each slice here and waits for it, which is blocking, which is what virtual threads are good at.
 *
 * <p>The round: requests wait in the order they first came; a pool thread takes one slice from the request at the
 * head, and sends that request to the back if it has more. The queues need no bound of their own: a subtask has at
 * most one slice here at a time, and the counter's budget bounds the subtasks.
 *
 * <p>The pool's threads are not the request's: they do not inherit its scoped-value binding, which is why
 * {@link #spin} takes the request as a parameter.
 */
final class FairCpuPool implements AutoCloseable {

    /** Runs one slice: the busy loop, or in tests a loop that fails. */
    @FunctionalInterface
    interface Loop {
        Duration run(long iterations) throws InterruptedException;
    }

    /** One slice waiting for, or running on, a pool thread, for {@code subtask} (the thread that waits for it). */
    private record Slice(String request, String subtask, long iterations, Watcher watcher,
                         CompletableFuture<Duration> done) {
    }

    private final Loop loop;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition sliceWaiting = lock.newCondition();
    /** Requests with slices waiting, by name; iteration order is the round. */
    private final Map<String, ArrayDeque<Slice>> queues = new LinkedHashMap<>();
    /** The pool threads, replacements included, so that {@link #close} can wait for each. */
    private final List<Thread> threads = new ArrayList<>();
    private int threadsStarted;
    private boolean closed;

    FairCpuPool(int threadCount) {
        this(threadCount, BusyLoop::timed);
    }

    FairCpuPool(int threadCount, Loop loop) {
        if (threadCount < 1) {
            throw new IllegalArgumentException("threads must be 1 or more, got " + threadCount);
        }
        this.loop = loop;
        lock.lock();
        try {
            for (int i = 0; i < threadCount; i++) {
                startThread();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held. */
    private void startThread() {
        // Platform threads: the operating system time-slices them with everything else, carriers included, so a
        // spinning slice can never keep a connection's virtual thread from running.
        threads.removeIf(thread -> !thread.isAlive());
        threads.add(Thread.ofPlatform().name("cpu-" + ++threadsStarted).daemon().start(this::work));
    }

    /**
     * Runs {@code iterations} of the busy loop on a pool thread, in {@code request}'s turn, and waits for it.
     *
     * @return how long the slice itself ran, without the wait for its turn
     * @throws InterruptedException  if the calling subtask is cancelled: the slice is withdrawn if it has not started
     * @throws IllegalStateException if the slice failed on its pool thread, or the pool is closed
     */
    Duration spin(RequestContext request, long iterations) throws InterruptedException {
        Slice slice = new Slice(request.request(), Thread.currentThread().getName(), iterations, request.watcher(),
                new CompletableFuture<>());
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the CPU pool is closed");
            }
            queues.computeIfAbsent(slice.request(), r -> new ArrayDeque<>()).addLast(slice);
            sliceWaiting.signal();
        } finally {
            lock.unlock();
        }
        try {
            // Blocking: a virtual thread unmounts here, and its carrier goes back to serving connections.
            return slice.done().get();
        } catch (InterruptedException e) {
            // Cancelled: withdraw the slice if it has not started. One already running ends within its slice
            // length, and its result is dropped.
            withdraw(slice);
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a busy-loop slice failed on the CPU pool: " + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            throw new InterruptedException("the CPU pool was closed");
        }
    }

    /** A pool thread: takes the next request's next slice, runs it, repeats until the pool closes. */
    private void work() {
        try {
            for (Slice slice = next(); slice != null; slice = next()) {
                if (!run(slice)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // the pool is closing
        }
    }

    /** Runs one slice; false if the slice broke this thread, which a fresh one has then replaced. */
    private boolean run(Slice slice) throws InterruptedException {
        try {
            Duration ran = loop.run(slice.iterations());
            slice.watcher().sliceRan(slice.subtask(), ran);
            slice.done().complete(ran);
            return true;
        } catch (InterruptedException e) {
            slice.done().cancel(false);
            throw e;
        } catch (RuntimeException e) {
            // The subtask waiting for this slice fails now, and with it its request, rather than wait for a
            // timeout that could be minutes away.
            slice.done().completeExceptionally(e);
            return true;
        } catch (Error e) {
            // The same for its request; and this thread may be in no state to go on, so a fresh one takes its place.
            slice.done().completeExceptionally(e);
            replace();
            return false;
        }
    }

    private void replace() {
        lock.lock();
        try {
            if (!closed) {
                startThread();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The head request's first slice; that request goes to the back of the round. Null once closed. */
    private Slice next() throws InterruptedException {
        lock.lock();
        try {
            while (queues.isEmpty() && !closed) {
                sliceWaiting.await();
            }
            if (closed) {
                return null;
            }
            String head = queues.keySet().iterator().next();
            ArrayDeque<Slice> queue = queues.remove(head);
            Slice slice = queue.pollFirst();
            if (!queue.isEmpty()) {
                queues.put(head, queue);
            }
            return slice;
        } finally {
            lock.unlock();
        }
    }

    private void withdraw(Slice slice) {
        lock.lock();
        try {
            ArrayDeque<Slice> queue = queues.get(slice.request());
            if (queue != null && queue.remove(slice) && queue.isEmpty()) {
                queues.remove(slice.request());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Slices waiting for a pool thread, for tests. */
    int queuedSlices() {
        lock.lock();
        try {
            return queues.values().stream().mapToInt(ArrayDeque::size).sum();
        } finally {
            lock.unlock();
        }
    }

    /** Pool threads alive now, for tests. */
    int liveThreads() {
        lock.lock();
        try {
            return (int) threads.stream().filter(Thread::isAlive).count();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the pool threads; slices still queued are cancelled, and their subtasks see an interrupt. */
    @Override
    public void close() {
        List<Thread> started;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queues.values().forEach(queue -> queue.forEach(slice -> slice.done().cancel(false)));
            queues.clear();
            sliceWaiting.signalAll();
            started = List.copyOf(threads);
        } finally {
            lock.unlock();
        }
        started.forEach(Thread::interrupt);
        boolean interrupted = false;
        for (Thread thread : started) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true; // finish closing first: each pool thread ends within a slice
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
