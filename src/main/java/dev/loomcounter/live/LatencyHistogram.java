package dev.loomcounter.live;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request latencies in fixed buckets, five to a decade from 10 µs to 100 s: cheap to record from many threads at
 * once (one {@link LongAdder} per bucket), exact enough for a p99 and for Prometheus's {@code histogram} type.
 */
final class LatencyHistogram {

    private static final double[] MANTISSAS = {1, 1.6, 2.5, 4, 6.3};
    /** Upper bounds, in seconds; one more bucket, unbounded, follows the last. */
    private static final double[] BOUNDS = bounds();

    private final LongAdder[] counts = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    LatencyHistogram() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    private static double[] bounds() {
        double[] bounds = new double[7 * MANTISSAS.length + 1];
        int i = 0;
        for (int exponent = -5; exponent < 2; exponent++) {
            for (double mantissa : MANTISSAS) {
                bounds[i++] = new BigDecimal(Double.toString(mantissa)).scaleByPowerOfTen(exponent).doubleValue();
            }
        }
        bounds[i] = 100;
        return bounds;
    }

    void record(long nanos) {
        double seconds = nanos / 1e9;
        int bucket = 0;
        while (bucket < BOUNDS.length && seconds > BOUNDS[bucket]) {
            bucket++;
        }
        counts[bucket].increment();
        sumNanos.add(nanos);
    }

    /** The counts per bucket now, not cumulative; subtract two of them for the latencies in between. */
    long[] counts() {
        long[] snapshot = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            snapshot[i] = counts[i].sum();
        }
        return snapshot;
    }

    double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }

    /**
     * The {@code q} quantile, in seconds, of the latencies counted in {@code counts} (from {@link #counts()}, or a
     * difference of two), interpolated within its bucket; NaN when there are none.
     */
    static double quantile(long[] counts, double q) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && seen + counts[i] >= rank) {
                double lower = i == 0 ? 0 : BOUNDS[i - 1];
                if (i == BOUNDS.length) {
                    return lower;
                }
                return lower + (BOUNDS[i] - lower) * (rank - seen) / counts[i];
            }
            seen += counts[i];
        }
        return BOUNDS[BOUNDS.length - 1];
    }

    /**
     * The buckets' upper bounds in seconds, {@code +Inf} last: the {@code le} labels of Prometheus's histogram type,
     * one for each entry of {@link #counts()}.
     */
    static double[] upperBounds() {
        double[] bounds = Arrays.copyOf(BOUNDS, BOUNDS.length + 1);
        bounds[BOUNDS.length] = Double.POSITIVE_INFINITY;
        return bounds;
    }
}
