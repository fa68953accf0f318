package dev.loomcounter.counting;

import dev.loomcounter.log.Log;
import dev.loomcounter.settings.ThreadKind;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counting cores that fail on demand, for tests outside this package: the work a core runs, and the fair CPU pool's
 * failure injection, are this package's own.
 */
public final class FailingCounters {

    private FailingCounters() {
    }

    /**
     * A core whose very first busy-loop slice throws {@code failure} on its pool thread; every slice after it runs.
     * Each subtask is one slice of 100,000 iterations (enough to be handed to the pool, not run on the subtask's own
     * thread), so a request {@code 1 1} is exactly that one slice.
     */
    public static RequestCounter firstSliceFails(RuntimeException failure, Log log) {
        AtomicBoolean failed = new AtomicBoolean();
        FairCpuPool pool = new FairCpuPool(1, iterations -> {
            if (failed.compareAndSet(false, true)) {
                throw failure;
            }
            return BusyLoop.timed(iterations);
        });
        return new RequestCounter(new Work.FairSpin(100_000, 100_000, pool), 1, ThreadKind.VIRTUAL,
                Duration.ofMinutes(1), 10_000, log);
    }
}
