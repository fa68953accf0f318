package dev.loomcounter.client.load;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task at a fixed interval on a virtual thread of its own, until stopped: the load client's progress display
 * and its latency sampler. A thread that sleeps most of its life is what virtual threads are cheapest at.
 */
final class Ticker {

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread thread;

    private Ticker(String name, Duration interval, Runnable tick) {
        this.thread = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                // The latch is the clock and the stop signal at once: await times out on every tick, true at the end.
                while (!finished.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                    tick.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    static Ticker start(String name, Duration interval, Runnable tick) {
        Ticker ticker = new Ticker(name, interval, tick);
        ticker.thread.start();
        return ticker;
    }

    /** Stops ticking and waits for a tick in progress: after this, everything the ticks wrote is visible. */
    void stop() throws InterruptedException {
        finished.countDown();
        thread.join();
    }
}
