package dev.loomcounter.client;

import java.util.Arrays;

/**
 * Latency percentiles of a run, from every round trip it measured: a sorted array is exact and, at one long a
 * request, small enough for any run this client makes (a million requests: 8 MB). A histogram library would add a
 * dependency to save memory nobody misses here.
 */
record Latencies(int count, long p50, long p90, long p99, long max) {

    static Latencies of(long[] nanos, int count) {
        if (count == 0) {
            return new Latencies(0, 0, 0, 0, 0);
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new Latencies(count, percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                sorted[count - 1]);
    }

    /** The nearest-rank percentile: the smallest value that at least p percent of the values do not exceed. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    @Override
    public String toString() {
        return count == 0 ? "no replies"
                : "p50 " + RoundTrip.format(p50) + ", p90 " + RoundTrip.format(p90) + ", p99 "
                + RoundTrip.format(p99) + ", max " + RoundTrip.format(max);
    }
}
