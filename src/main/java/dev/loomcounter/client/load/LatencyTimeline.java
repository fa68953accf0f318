package dev.loomcounter.client.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Takes the recorder's latencies once a second, while the run goes on: each second's histogram becomes one point of
 * the timeline (its p50, p99 and max), and all of them add up to the run's histogram. The recorder hands over an
 * interval histogram without stopping the threads that record into it.
 */
final class LatencyTimeline {

    private static final Duration TICK = Duration.ofSeconds(1);

    /**
     * One second of the measured run.
     *
     * @param endSeconds when the second ended, counted from the start of the measured part (or of the warm-up)
     */
    record Second(double endSeconds, long count, long p50Nanos, long p99Nanos, long maxNanos) {
    }

    private final Recorder recorder;
    private final long origin;
    private final Histogram total = new Histogram(3);
    private final List<Second> seconds = new ArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread sampler;
    private Histogram interval;

    private LatencyTimeline(Recorder recorder, long origin) {
        this.recorder = recorder;
        this.origin = origin;
        // A thread that sleeps most of its life: virtual, like everything else in the client.
        this.sampler = Thread.ofVirtual().name("latency-sampler").unstarted(this::sampleUntilFinished);
    }

    /** Starts sampling; {@code origin} is the {@link System#nanoTime()} the timeline's seconds count from. */
    static LatencyTimeline start(Recorder recorder, long origin) {
        LatencyTimeline timeline = new LatencyTimeline(recorder, origin);
        timeline.sampler.start();
        return timeline;
    }

    private void sampleUntilFinished() {
        try {
            // The latch is the clock and the stop signal at once: await times out on every tick, returns true at the end.
            while (!finished.await(TICK.toNanos(), TimeUnit.NANOSECONDS)) {
                sample();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        if (interval.getTotalCount() > 0) {
            seconds.add(new Second((System.nanoTime() - origin) / 1e9, interval.getTotalCount(),
                    interval.getValueAtPercentile(50), interval.getValueAtPercentile(99), interval.getMaxValue()));
        }
    }

    /**
     * Stops sampling, takes the last partial second, and returns the run's whole histogram. Call once every
     * connection has finished recording.
     */
    Histogram stop() throws InterruptedException {
        finished.countDown();
        sampler.join();
        // join() makes the sampler's writes visible here; the last sample is taken by this thread.
        sample();
        return total;
    }

    /** The seconds that had replies; valid after {@link #stop()}. */
    List<Second> seconds() {
        return List.copyOf(seconds);
    }
}
