package dev.loomcounter.counting;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts subtasks as they run, so that tests (and curious readers) can see that cancelled subtasks really stop:
 * "nothing crashed" is not the same as "nothing is left running".
 */
public final class SubtaskGauge {

    private final AtomicInteger running = new AtomicInteger();
    private final LongAdder completed = new LongAdder();
    private final LongAdder cancelled = new LongAdder();

    void onStart() {
        running.incrementAndGet();
    }

    void onComplete() {
        completed.increment();
        running.decrementAndGet();
    }

    void onStop() {
        cancelled.increment();
        running.decrementAndGet();
    }

    /** Subtasks that have started their work and not yet finished or stopped. */
    public int running() {
        return running.get();
    }

    public long completed() {
        return completed.sum();
    }

    /** Subtasks that stopped without counting: cancelled, or failed. */
    public long cancelled() {
        return cancelled.sum();
    }
}
