package dev.loomcounter.live;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import jdk.jfr.consumer.RecordingStream;

/**
 * Pinning, counted: a virtual thread that blocks while it cannot leave its carrier (on JDK 25, inside a class
 * initializer or under a native frame; no longer in {@code synchronized}, JEP 491) keeps that carrier from every
 * other virtual thread. The JVM reports each such block as a {@code jdk.VirtualThreadPinned} event, and a JFR
 * {@link RecordingStream} hands them to this class as they are flushed, about once a second.
 *
 * <p>The stream starts on the first scrape, not with the server: starting JFR costs about half a second and 20 MB
 * of memory, which a server that nobody scrapes should not pay. It records two events and nothing else, keeps at
 * most a few seconds of them on disk, and is closed with the live view.
 */
final class PinnedThreads implements MultiCollector, AutoCloseable {

    private static final String PINNED = "jdk.VirtualThreadPinned";
    private static final String SUBMIT_FAILED = "jdk.VirtualThreadSubmitFailed";
    /** JFR's own default for this event, and Micrometer's: a shorter pin is not worth an event. */
    private static final Duration THRESHOLD = Duration.ofMillis(20);

    private final LongAdder pins = new LongAdder();
    private final LongAdder pinnedNanos = new LongAdder();
    private final LongAdder submitsFailed = new LongAdder();
    private RecordingStream stream;
    private boolean closed;

    /**
     * Starts the stream the first time; a no-op after that, and after {@link #close()}. Synchronized: on JDK 25 a
     * virtual thread waiting for this monitor unmounts like any other (JEP 491), and the first scrape holds it
     * only while JFR starts.
     */
    private synchronized void start() {
        if (stream != null || closed) {
            return;
        }
        RecordingStream started = new RecordingStream();
        started.enable(PINNED).withThreshold(THRESHOLD);
        started.enable(SUBMIT_FAILED);
        // Bounds on what the stream keeps in JFR's disk repository; the events are counted as they arrive.
        started.setMaxAge(Duration.ofSeconds(5));
        started.setMaxSize(1024 * 1024);
        started.onEvent(PINNED, event -> {
            pins.increment();
            pinnedNanos.add(event.getDuration().toNanos());
        });
        started.onEvent(SUBMIT_FAILED, event -> submitsFailed.increment());
        started.startAsync();
        stream = started;
    }

    /** The names Micrometer exports the same events under: a timer is a summary of count and sum. */
    @Override
    public MetricSnapshots collect() {
        start();
        return MetricSnapshots.of(
                SummarySnapshot.builder().name("jvm_threads_virtual_pinned_seconds")
                        .help("Virtual threads that blocked while pinned to their carrier for "
                                + THRESHOLD.toMillis() + " ms or more, and for how long in all (counted from the "
                                + "first scrape on).")
                        .dataPoint(SummaryDataPointSnapshot.builder().count(pins.sum())
                                .sum(pinnedNanos.sum() / 1e9).build())
                        .build(),
                Metrics.counter("jvm_threads_virtual_submit_failed",
                        "Virtual threads the scheduler could not start or unpark (counted from the first scrape on).",
                        Labels.EMPTY, submitsFailed.sum()));
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (stream != null) {
            stream.close();
        }
    }
}
