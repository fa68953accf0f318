package dev.loomcounter.client.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
     * @param endSeconds when the second ended, counted from the end of the warm-up
     */
    record Second(double endSeconds, long count, long p50Nanos, long p99Nanos, long maxNanos) {
    }

    private final Recorder recorder;
    private final long origin;
    private final Histogram total = new Histogram(3);
    private final List<Second> seconds = new ArrayList<>();
    private Histogram interval;
    private Ticker sampler;

    private LatencyTimeline(Recorder recorder, long origin) {
        this.recorder = recorder;
        this.origin = origin;
    }

    /** Starts sampling; {@code origin} is the {@link System#nanoTime()} the timeline's seconds count from. */
    static LatencyTimeline start(Recorder recorder, long origin) {
        LatencyTimeline timeline = new LatencyTimeline(recorder, origin);
        timeline.sampler = Ticker.start("latency-sampler", TICK, timeline::sample);
        return timeline;
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
        sampler.stop();
        // stop() makes the sampler's writes visible here; the last sample is taken by this thread.
        sample();
        return total;
    }

    /** The seconds that had replies; valid after {@link #stop()}. */
    List<Second> seconds() {
        return List.copyOf(seconds);
    }
}
