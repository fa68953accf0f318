package dev.loomcounter.live;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's counters and its latency histogram, kept whether or not anyone watches (a few adds per connection
 * and per request, none per subtask), written out in the Prometheus text format.
 */
final class Metrics {

    /**
     * A number read when asked: values the server keeps anyway (running subtasks, the scheduler's pool). A name
     * ending in {@code _total} is a counter.
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

    /** Everything, in the Prometheus text exposition format (version 0.0.4). */
    String prometheus() {
        StringBuilder out = new StringBuilder(4_096);
        header(out, "loomcounter_connections_opened_total", "Connections accepted since the start.", "counter");
        out.append("loomcounter_connections_opened_total ").append(connectionsOpened.sum()).append('\n');
        header(out, "loomcounter_connections_open", "Connections being served now.", "gauge");
        out.append("loomcounter_connections_open ").append(connectionsOpen.get()).append('\n');
        header(out, "loomcounter_requests_total", "Counting requests ended, by how their scope ended.", "counter");
        for (RequestOutcome outcome : RequestOutcome.values()) {
            out.append("loomcounter_requests_total{outcome=\"").append(outcome.label()).append("\"} ")
                    .append(requests[outcome.ordinal()].sum()).append('\n');
        }
        String histogram = "loomcounter_request_duration_seconds";
        header(out, histogram, "Time from a request's scope opening to its join, answered requests only.",
                "histogram");
        long[] counts = latency.counts();
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i];
            out.append(histogram).append("_bucket{le=\"").append(LatencyHistogram.label(i)).append("\"} ")
                    .append(cumulative).append('\n');
        }
        out.append(histogram).append("_sum ").append(String.format(Locale.ROOT, "%.6f", latency.sumSeconds()))
                .append('\n');
        out.append(histogram).append("_count ").append(cumulative).append('\n');
        for (Gauge gauge : gauges) {
            // Prometheus's naming rule: a name ending in _total is a counter.
            header(out, gauge.name(), gauge.help(), gauge.name().endsWith("_total") ? "counter" : "gauge");
            out.append(gauge.name()).append(' ').append(gauge.value().getAsLong()).append('\n');
        }
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
