package dev.loomcounter.live;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import jdk.management.VirtualThreadSchedulerMXBean;

/**
 * The numbers at the top of the page, measured over the last second: requests per second, p50 and p99 latency,
 * the server's own gauges of {@code /metrics}, and the virtual-thread scheduler's. Used by the one thread that sends
 * batches, so it keeps its state unguarded.
 */
final class Gauges {

    private static final long WINDOW_NANOS = 1_000_000_000L;
    /** The scheduler's own view of itself (JDK 24 and later), the same figures as {@code jvm_threads_virtual_*}. */
    private static final VirtualThreadSchedulerMXBean SCHEDULER =
            ManagementFactory.getPlatformMXBean(VirtualThreadSchedulerMXBean.class);

    private final Metrics metrics;
    private final String carrierPrefix;
    private long windowStart = System.nanoTime();
    private long requestsAtStart;
    private long[] latenciesAtStart;
    private double requestsPerSecond;
    private double p50Millis = Double.NaN;
    private double p99Millis = Double.NaN;
    private List<String> lanes;

    Gauges(Metrics metrics, String carrierPrefix) {
        this.metrics = metrics;
        this.carrierPrefix = carrierPrefix;
        this.requestsAtStart = metrics.requestsEnded();
        this.latenciesAtStart = metrics.latencyCounts();
        this.lanes = Carriers.lanes(carrierPrefix);
    }

    /** Appends {@code "gauges":{...},"lanes":[...]}, rolling the window over once a second. */
    void writeTo(StringBuilder json) {
        long now = System.nanoTime();
        if (now - windowStart >= WINDOW_NANOS) {
            long requests = metrics.requestsEnded();
            long[] latencies = metrics.latencyCounts();
            long[] inWindow = new long[latencies.length];
            for (int i = 0; i < latencies.length; i++) {
                inWindow[i] = latencies[i] - latenciesAtStart[i];
            }
            requestsPerSecond = (requests - requestsAtStart) * 1e9 / (now - windowStart);
            p50Millis = LatencyHistogram.quantile(inWindow, 0.50) * 1e3;
            p99Millis = LatencyHistogram.quantile(inWindow, 0.99) * 1e3;
            windowStart = now;
            requestsAtStart = requests;
            latenciesAtStart = latencies;
            lanes = Carriers.lanes(carrierPrefix);
        }
        json.append("\"gauges\":{");
        field(json, "connections", metrics.connectionsOpen());
        field(json, "requestsPerSecond", requestsPerSecond);
        field(json, "p50Millis", p50Millis);
        field(json, "p99Millis", p99Millis);
        for (Metrics.Gauge gauge : metrics.gauges()) {
            field(json, gauge.name(), gauge.value().getAsLong());
        }
        field(json, "schedulerParallelism", SCHEDULER.getParallelism());
        field(json, "schedulerPoolSize", SCHEDULER.getPoolSize());
        field(json, "schedulerMounted", SCHEDULER.getMountedVirtualThreadCount());
        field(json, "schedulerQueued", SCHEDULER.getQueuedVirtualThreadCount());
        json.setLength(json.length() - 1);
        json.append("},\"lanes\":[");
        for (String lane : lanes) {
            Json.quote(json, lane);
            json.append(',');
        }
        if (!lanes.isEmpty()) {
            json.setLength(json.length() - 1);
        }
        json.append(']');
    }

    private static void field(StringBuilder json, String name, double value) {
        Json.quote(json, name);
        // JSON has no NaN: no latency yet is null, and the page shows a dash.
        json.append(':').append(Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.3f", value)).append(',');
    }

    private static void field(StringBuilder json, String name, long value) {
        Json.quote(json, name);
        json.append(':').append(value).append(',');
    }
}
