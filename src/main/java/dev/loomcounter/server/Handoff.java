package dev.loomcounter.server;

import dev.loomcounter.protocol.Request;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs on both sides of the hand-off from a connection's thread to its worker: {@link #offer} on the connection's
 * thread, which queues the requests it reads ahead; {@link #answerQueued} on the worker, a subtask of the connection's
 * scope, forked when a request arrives and none runs, and retired when the queue is empty.
 */
final class Handoff {

    /** Requests read ahead of the worker; a full queue stops the reader, and TCP then slows the client down. */
    static final int READ_AHEAD = 1_024;

    private final Responder responder;
    private final ReplyBatch replies;
    /** What a failed worker does last: the scope's cancellation does not reach the reader, a read does not end. */
    private final Runnable closeConnection;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    /** Room for one request at first: most clients wait for each answer; the queue grows for those that pipeline. */
    private final ArrayDeque<Request> queue = new ArrayDeque<>(1);
    private boolean workerFailed;
    private boolean closed;
    /**
     * True while a request is being answered, by a worker or the connection's own thread. Only the connection's
     * thread sets it; whoever answers clears it when done, a worker under the lock.
     */
    private volatile boolean answering;

    Handoff(Responder responder, ReplyBatch replies, Runnable closeConnection) {
        this.responder = responder;
        this.replies = replies;
        this.closeConnection = closeConnection;
    }

    /**
     * Queues a request, and forks a worker if none is running. Waits while the read-ahead is full.
     *
     * @return false if the worker failed or the connection was closed meanwhile: nothing more will be answered
     */
    boolean offer(StructuredTaskScope<Void, Void> scope, Request request) throws InterruptedException {
        lock.lock();
        try {
            while (queue.size() >= READ_AHEAD && !workerFailed && !closed) {
                room.await();
            }
            if (workerFailed || closed) {
                return false;
            }
            queue.add(request);
            if (answering) {
                return true;
            }
            answering = true;
        } finally {
            lock.unlock();
        }
        scope.fork(this::answerQueued);
        return true;
    }

    /** True while a request is being counted or answered. */
    boolean answering() {
        return answering;
    }

    /**
     * Claims the answering side for the connection's own thread, if no worker has it: the caller then answers and
     * calls {@link #release}. Only the connection's thread sets the flag, so checking and setting need no lock.
     */
    boolean claim() {
        if (answering) {
            return false;
        }
        answering = true;
        return true;
    }

    void release() {
        answering = false;
    }

    /** Wakes a reader waiting for room: it is not in a read, so closing the socket alone would not. */
    void close() {
        lock.lock();
        try {
            closed = true;
            room.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The worker: answers queued requests in the order they came, and retires when none is left. */
    private Void answerQueued() throws IOException, InterruptedException {
        try {
            Request request;
            while ((request = nextOrRetire()) != null) {
                if (request instanceof Request.Count count && count.increments() > 0) {
                    // Replies already made go out before a request that takes time.
                    replies.write();
                }
                replies.add(responder.reply(request));
                if (replies.full()) {
                    replies.write();
                }
            }
            return null;
        } catch (Throwable failure) {
            lock.lock();
            try {
                // The reader may be waiting for room that this worker will no longer make.
                workerFailed = true;
                room.signal();
            } finally {
                lock.unlock();
            }
            // The scope's cancellation reaches only its subtasks, not the reader that owns it, blocked in a read:
            // closing the socket is what wakes it, so that the connection ends now, not at the client's next move.
            closeConnection.run();
            throw failure;
        }
    }

    /** The next request, or null after the replies so far are written and the worker has retired. */
    private Request nextOrRetire() throws IOException {
        Request next = poll();
        if (next != null) {
            return next;
        }
        // One write for a batch of pipelined replies.
        replies.write();
        lock.lock();
        try {
            next = queue.poll();
            if (next == null) {
                // Under the lock: the reader's next request sees this, and answers it or forks a fresh worker.
                answering = false;
            } else {
                room.signal();
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    private Request poll() {
        lock.lock();
        try {
            Request next = queue.poll();
            if (next != null) {
                room.signal();
            }
            return next;
        } finally {
            lock.unlock();
        }
    }
}
