package dev.loomcounter.counting;

import dev.loomcounter.live.Recorder;

/**
 * Where the CPU-bound slices of spin work run.
 *
 * <p>Why this exists: virtual threads are not time-sliced. The JDK's scheduler has as many carriers as cores, and a
 * virtual thread that computes keeps its carrier until it blocks or ends. A request of a few thousand spinning
 * subtasks therefore fills every carrier and the run queue behind them, and everyone else, even another client's
 * {@code 1 5}, waits for the flood to drain. (Platform threads are time-sliced by the operating system, but fairly
 * per <em>thread</em>: the request with 2,000 threads gets 2,000 shares, the one with 5 gets 5.)
 *
 * <ul>
 *   <li>{@link #inline()}: the subtask spins on its own thread, straight onto the scheduler. The baseline, to see
 *       the starvation.
 *   <li>{@link #fair(int)}: the subtask hands each slice to a small pool of platform threads, one per core, and
 *       waits for it. Waiting is blocking, which is what virtual threads are good at: the carriers stay free for
 *       the connections' reading and writing. The pool takes slices round-robin by request, not in arrival order,
 *       so a 5-subtask request is not stuck behind 5,000 subtasks of someone else's.
 * </ul>
 */
public sealed interface CpuScheduler extends AutoCloseable permits CpuScheduler.Inline, FairCpuPool {

    /**
     * Runs {@code iterations} of the busy loop for {@code requester} (a request: turns are fair among requesters).
     *
     * @return the loop's sum, and how long the loop itself ran (without the wait for its turn)
     * @throws InterruptedException if the calling subtask is cancelled; it returns at once, and a slice already
     *                              running elsewhere is abandoned
     */
    Effort spin(Object requester, long iterations) throws InterruptedException;

    /** Stops the scheduler's threads, if it has any. */
    @Override
    void close();

    static CpuScheduler inline() {
        return Inline.INSTANCE;
    }

    /** A fair pool of {@code threads} platform threads: the number of cores is the natural choice. */
    static CpuScheduler fair(int threads) {
        return new FairCpuPool(threads, Recorder.off());
    }

    /** The same, its slices reported to the live view. */
    static CpuScheduler fair(int threads, Recorder live) {
        return new FairCpuPool(threads, live);
    }

    /** The busy loop on the calling thread: no admission, no fairness. */
    enum Inline implements CpuScheduler {
        INSTANCE;

        @Override
        public Effort spin(Object requester, long iterations) throws InterruptedException {
            return Effort.spin(iterations);
        }

        @Override
        public void close() {
        }
    }
}
