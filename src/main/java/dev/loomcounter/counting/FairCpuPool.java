package dev.loomcounter.counting;

import dev.loomcounter.live.Recorder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool of platform threads, one per core, that runs slices of busy loop round-robin by requester. See
 * {@link CpuScheduler} for why.
 *
 * <p>The round: requesters wait in the order they first came; the pool takes one slice from the requester at the
 * head, and sends that requester to the back if it has more. Within a requester, slices run in the order given.
 */
public final class FairCpuPool implements CpuScheduler {

    /** One slice waiting for, or running on, a pool thread. */
    private record Slice(long iterations, CompletableFuture<Effort> result, Thread subtask) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition sliceWaiting = lock.newCondition();
    /** Iteration order is the round-robin order. */
    private final Map<Object, ArrayDeque<Slice>> queues = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private boolean closed;
    private final Recorder live;

    FairCpuPool(int threadCount) {
        this(threadCount, Recorder.off());
    }

    FairCpuPool(int threadCount, Recorder live) {
        this.live = live;
        if (threadCount < 1) {
            throw new IllegalArgumentException("threads must be 1 or more, got " + threadCount);
        }
        for (int i = 1; i <= threadCount; i++) {
            // Platform threads: the operating system time-slices them with everything else, carriers included, so
            // a spinning slice can never keep a connection's virtual thread from running.
            threads.add(Thread.ofPlatform().name("cpu-" + i).daemon().start(this::work));
        }
    }

    /** Slices waiting for a pool thread, for tests and the curious. */
    int queuedSlices() {
        lock.lock();
        try {
            return queues.values().stream().mapToInt(ArrayDeque::size).sum();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Effort spin(Object requester, long iterations) throws InterruptedException {
        Slice slice = new Slice(iterations, new CompletableFuture<>(), Thread.currentThread());
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the CPU pool is closed");
            }
            queues.computeIfAbsent(requester, r -> new ArrayDeque<>()).addLast(slice);
            sliceWaiting.signal();
        } finally {
            lock.unlock();
        }
        try {
            // Blocking: a virtual thread unmounts here, and its carrier goes back to serving connections.
            return slice.result().get();
        } catch (InterruptedException e) {
            // Cancelled: withdraw the slice if it has not started. One already running ends within its slice
            // length and its result is dropped.
            withdraw(requester, slice);
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a busy-loop slice failed", e.getCause());
        } catch (CancellationException e) {
            throw new InterruptedException("the CPU pool was closed");
        }
    }

    /** A pool thread: takes the next requester's next slice, runs it, repeats. */
    private void work() {
        while (true) {
            Slice slice;
            try {
                slice = next();
            } catch (InterruptedException e) {
                return;
            }
            if (slice == null) {
                return;
            }
            try {
                long began = System.nanoTime();
                Effort effort = Effort.spin(slice.iterations());
                live.sliceRan(slice.subtask(), Thread.currentThread(), began);
                slice.result().complete(effort);
            } catch (InterruptedException e) {
                slice.result().cancel(false);
                return;
            }
        }
    }

    /** The head requester's first slice; that requester goes to the back of the round. Null once closed. */
    private Slice next() throws InterruptedException {
        lock.lock();
        try {
            while (queues.isEmpty() && !closed) {
                sliceWaiting.await();
            }
            if (closed) {
                return null;
            }
            Iterator<Map.Entry<Object, ArrayDeque<Slice>>> round = queues.entrySet().iterator();
            Map.Entry<Object, ArrayDeque<Slice>> head = round.next();
            Slice slice = head.getValue().pollFirst();
            round.remove();
            if (!head.getValue().isEmpty()) {
                queues.put(head.getKey(), head.getValue());
            }
            return slice;
        } finally {
            lock.unlock();
        }
    }

    private void withdraw(Object requester, Slice slice) {
        lock.lock();
        try {
            ArrayDeque<Slice> queue = queues.get(requester);
            if (queue != null && queue.remove(slice) && queue.isEmpty()) {
                queues.remove(requester);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the pool threads; slices still queued are cancelled, and their subtasks see an interrupt. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queues.values().forEach(queue -> queue.forEach(slice -> slice.result().cancel(false)));
            queues.clear();
            sliceWaiting.signalAll();
        } finally {
            lock.unlock();
        }
        threads.forEach(Thread::interrupt);
        boolean interrupted = false;
        for (Thread thread : threads) {
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
