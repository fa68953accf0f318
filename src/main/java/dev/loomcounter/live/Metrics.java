package dev.loomcounter.live;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's counters and its latency histogram, kept whether or not anyone watches (a few adds per connection
 * and per request, none per subtask), and handed to {@code /metrics} as Prometheus families when it is scraped.
 */
final class Metrics implements MultiCollector {

    private static final String TOTAL = "_total";

    /**
     * A number read when asked: values the server keeps anyway (running subtasks, the live view's own counts).
     * A name ending in {@code _total} is a counter.
     */
    record Gauge(String name, String help, LongSupplier value) {
    }

    private final LongAdder connectionsOpened = new LongAdder();
    private final AtomicInteger connectionsOpen = new AtomicInteger();
    private final LongAdder[] requests = new LongAdder[RequestOutcome.values().length];
    private final LatencyHistogram latency = new LatencyHistogram();
    private final List<Gauge> gauges = new CopyOnWriteArrayList<>();

    Metrics() {
        for (int i = 0; i < requests.length; i++) {
            requests[i] = new LongAdder();
        }
    }

    void connectionOpened() {
        connectionsOpened.increment();
        connectionsOpen.incrementAndGet();
    }

    void connectionClosed() {
        connectionsOpen.decrementAndGet();
    }

    void requestEnded(RequestOutcome outcome, long nanos) {
        requests[outcome.ordinal()].increment();
        if (outcome == RequestOutcome.ANSWERED) {
            latency.record(nanos);
        }
    }

    void add(Gauge gauge) {
        gauges.add(gauge);
    }

    List<Gauge> gauges() {
        return gauges;
    }

    int connectionsOpen() {
        return connectionsOpen.get();
    }

    long requestsEnded() {
        long sum = 0;
        for (LongAdder count : requests) {
            sum += count.sum();
        }
        return sum;
    }

    long[] latencyCounts() {
        return latency.counts();
    }

    /**
     * The server's own families as they are at this moment, for the Prometheus client's registry and writer: the
     * counters stay this class's own adders (the page reads them too), and each scrape copies them into snapshots.
     * A gauge named {@code ..._total} is a counter; the client adds {@code _total} back when it writes one.
     */
    @Override
    public MetricSnapshots collect() {
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder()
                .metricSnapshot(counter("loomcounter_connections_opened", "Connections accepted since the start.",
                        Labels.EMPTY, connectionsOpened.sum()))
                .metricSnapshot(gauge("loomcounter_connections_open", "Connections being served now.",
                        connectionsOpen.get()));
        CounterSnapshot.Builder requestsEnded = CounterSnapshot.builder().name("loomcounter_requests")
                .help("Counting requests ended, by how their scope ended.");
        for (RequestOutcome outcome : RequestOutcome.values()) {
            requestsEnded.dataPoint(CounterDataPointSnapshot.builder()
                    .labels(Labels.of("outcome", outcome.label())).value(requests[outcome.ordinal()].sum()).build());
        }
        snapshots.metricSnapshot(requestsEnded.build());
        snapshots.metricSnapshot(HistogramSnapshot.builder().name("loomcounter_request_duration_seconds")
                .help("Time from a request's scope opening to its join, answered requests only.")
                .dataPoint(HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(LatencyHistogram.upperBounds(),
                                latency.counts()))
                        .sum(latency.sumSeconds()).build())
                .build());
        for (Gauge gauge : gauges) {
            long value = gauge.value().getAsLong();
            snapshots.metricSnapshot(gauge.name().endsWith(TOTAL)
                    ? counter(gauge.name().substring(0, gauge.name().length() - TOTAL.length()), gauge.help(),
                            Labels.EMPTY, value)
                    : gauge(gauge.name(), gauge.help(), value));
        }
        return snapshots.build();
    }

    static CounterSnapshot counter(String name, String help, Labels labels, double value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build()).build();
    }

    static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }
}
