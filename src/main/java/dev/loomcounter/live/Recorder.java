package dev.loomcounter.live;

import dev.loomcounter.counting.Watcher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongSupplier;

/**
 * Where the server's code paths report what they do, for the live page: a connection opened, a request's scope
 * forked its subtasks, a subtask started on a carrier, a slice of spin work ran on a CPU-pool thread.
 *
 * <p>Why it costs nothing when nobody watches: every event method starts with one read of a volatile flag, and
 * builds nothing when it is false. Only while a page is open are events made, and even then a full ring drops them
 * (see {@link EventRing}): a picture of the server must never slow the server down. Connections and requests are
 * also counted for {@code /metrics}, always: a few adds per request, none per subtask.
 *
 * <p>The carrier a virtual thread runs on has no public API; {@link Thread#toString()} names it, as in
 * {@code VirtualThread[#42,conn-1/req-1/increment-3]/runnable@ForkJoinPool-1-worker-2}. That is what the events
 * carry, read on the thread itself at the moment it happens.
 */
public final class Recorder implements Watcher {

    /**
     * Events held for the page between two batches, ten batches a second: ten thousand events a second is more
     * than a person can follow, and the page draws them without taking the server's cores.
     */
    static final int RING_CAPACITY = 1_000;

    private final long origin = System.nanoTime();
    private final String description;
    private final boolean subtasksHoldCarriers;
    private final EventRing ring = new EventRing(RING_CAPACITY);
    private final Metrics metrics = new Metrics();
    private final ThreadTree threads;
    private volatile boolean watched;

    /**
     * @param description          the server's settings in words, for the page's title line
     * @param subtasksHoldCarriers true when a subtask keeps its carrier from start to end (spin work, no CPU pool,
     *                             virtual threads): the page then draws it as one bar; otherwise as two marks, where
     *                             it started and where it ended, since it leaves its carrier in between
     */
    public Recorder(String description, boolean subtasksHoldCarriers) {
        this.description = description;
        this.subtasksHoldCarriers = subtasksHoldCarriers;
        this.threads = new ThreadTree();
    }

    /**
     * The server's scopes and their threads, for the page's thread dump. Every scope of the server takes its thread
     * factory from here: {@code var threads = live.threads().scope(name, factory)}.
     */
    public ThreadTree threads() {
        return threads;
    }

    /** The counting core's scopes are recorded in the same tree as the server's own. */
    @Override
    public ThreadTree.Scope scope(String name, ThreadFactory factory) {
        return threads.scope(name, factory);
    }

    /**
     * The watcher of one connection, made once when it opens: the scopes opened through it (the connection's own, and
     * its requests') are recorded in one branch of the tree, so that a request's scope costs no write to anything
     * another connection touches; its events go to this recorder.
     */
    public Watcher forConnection() {
        return new ConnectionWatcher(threads.branch());
    }

    private final class ConnectionWatcher implements Watcher {
        private final ThreadTree.Branch branch;

        ConnectionWatcher(ThreadTree.Branch branch) {
            this.branch = branch;
        }

        @Override
        public ThreadTree.Scope scope(String name, ThreadFactory factory) {
            return branch.scope(name, factory);
        }

        @Override
        public void subtaskStarted(String request, int index) {
            Recorder.this.subtaskStarted(request, index);
        }

        @Override
        public void subtaskDone(String request, int index) {
            Recorder.this.subtaskDone(request, index);
        }

        @Override
        public void subtaskCancelled(String request, int index) {
            Recorder.this.subtaskCancelled(request, index);
        }

        @Override
        public void sliceRan(String subtask, Duration length) {
            Recorder.this.sliceRan(subtask, length);
        }
    }

    /** True while a live page is open: the one check every event site makes first. */
    public boolean isWatched() {
        return watched;
    }

    /** Reports {@code value} on {@code /metrics} as {@code name}; a name ending in {@code _total} is a counter. */
    public void gauge(String name, String help, LongSupplier value) {
        metrics.add(new Metrics.Gauge(name, help, value));
    }

    public void connectionOpened(String connection) {
        metrics.connectionOpened();
        if (watched && ring.hasRoom()) {
            ring.add(new Event.ConnectionOpened(now(), connection));
        }
    }

    /** @param why how it ended, in words ("client hung up") */
    public void connectionClosed(String connection, String why) {
        metrics.connectionClosed();
        if (watched && ring.hasRoom()) {
            ring.add(new Event.ConnectionClosed(now(), connection, why));
        }
    }

    /** A request's scope is about to fork {@code increments} subtasks, to count up from {@code start}. */
    public void requestStarted(String request, long start, int increments) {
        if (watched && ring.hasRoom()) {
            ring.add(new Event.RequestStarted(now(), request, start, increments));
        }
    }

    /** @param beganNanos {@link System#nanoTime()} taken just before {@link #requestStarted} */
    public void requestEnded(String request, RequestOutcome outcome, long beganNanos) {
        long nanos = System.nanoTime() - beganNanos;
        metrics.requestEnded(outcome, nanos);
        if (watched && ring.hasRoom()) {
            ring.add(new Event.RequestEnded(now(), request, outcome, nanos / 1_000));
        }
        RequestEvent flight = new RequestEvent();
        if (flight.shouldCommit()) {
            flight.request = request;
            flight.outcome = outcome.label();
            flight.latency = nanos;
            flight.commit();
        }
    }

    /** Called by the subtask's own thread as its body begins: it is mounted on its carrier now. */
    @Override
    public void subtaskStarted(String request, int index) {
        if (watched && ring.hasRoom()) {
            ring.add(new Event.SubtaskStarted(now(), request, index, Carriers.carrierOf(Thread.currentThread())));
        }
    }

    /** Called by the subtask's own thread after it incremented the counter. */
    @Override
    public void subtaskDone(String request, int index) {
        if (watched && ring.hasRoom()) {
            ring.add(new Event.SubtaskEnded(now(), request, index, Carriers.carrierOf(Thread.currentThread()), true));
        }
        flightSubtask(request, index, true);
    }

    /** Called by the subtask's own thread when it stops without incrementing: cancelled, or failed. */
    @Override
    public void subtaskCancelled(String request, int index) {
        if (watched && ring.hasRoom()) {
            ring.add(new Event.SubtaskEnded(now(), request, index, Carriers.carrierOf(Thread.currentThread()), false));
        }
        flightSubtask(request, index, false);
    }

    /** The same end for Java Flight Recorder, on the subtask's own thread, when a recording asks for it. */
    private static void flightSubtask(String request, int index, boolean done) {
        SubtaskEvent flight = new SubtaskEvent();
        if (flight.shouldCommit()) {
            flight.request = request;
            flight.index = index;
            flight.done = done;
            flight.commit();
        }
    }

    /**
     * Called by a CPU-pool thread right after it ran one slice of spin work, {@code length} long, for the subtask
     * thread named {@code subtask}, which waits for it.
     */
    @Override
    public void sliceRan(String subtask, Duration length) {
        if (watched && ring.hasRoom()) {
            long ended = now();
            long micros = length.toNanos() / 1_000;
            ring.add(new Event.SliceRan(ended - micros, subtask, Thread.currentThread().getName(), micros));
        }
    }

    void watch(boolean on) {
        watched = on;
        if (!on) {
            ring.clear();
        }
    }

    List<Event> drain() {
        return ring.drain();
    }

    long eventsDropped() {
        return ring.dropped();
    }

    Metrics metrics() {
        return metrics;
    }

    String description() {
        return description;
    }

    boolean subtasksHoldCarriers() {
        return subtasksHoldCarriers;
    }

    /** Microseconds since this recorder started: the page's time axis. */
    long now() {
        return micros(System.nanoTime());
    }

    private long micros(long nanoTime) {
        return (nanoTime - origin) / 1_000;
    }
}
