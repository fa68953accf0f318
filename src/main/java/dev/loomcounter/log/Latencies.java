package dev.loomcounter.log;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Request latencies of one second, for the log's summary line: a histogram with 8 buckets per power of two (so a
 * percentile is within 12.5%), recorded by many threads without a lock and read by the log's writer once a second.
 */
final class Latencies {

    private static final int EXACT = 16;
    private static final int SUB_BUCKETS = 8;
    /** Up to 2^44 microseconds: half a year, far beyond any request timeout. */
    private static final int BUCKETS = EXACT + (44 - 4) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        counts.incrementAndGet(bucket(Math.max(0, nanos / 1_000)));
    }

    /** The counts since the last call, which start again from zero. */
    long[] takeCounts() {
        long[] taken = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            taken[i] = counts.getAndSet(i, 0);
        }
        return taken;
    }

    /** The latency in microseconds below which a fraction {@code q} of the counted requests fall. */
    static long percentile(long[] counts, double q) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank && counts[i] > 0) {
                return lowerBound(i);
            }
        }
        return 0;
    }

    static int bucket(long micros) {
        if (micros < EXACT) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        int sub = (int) (micros >>> (exponent - 3)) & (SUB_BUCKETS - 1);
        return Math.min(BUCKETS - 1, EXACT + (exponent - 4) * SUB_BUCKETS + sub);
    }

    static long lowerBound(int bucket) {
        if (bucket < EXACT) {
            return bucket;
        }
        int exponent = 4 + (bucket - EXACT) / SUB_BUCKETS;
        int sub = (bucket - EXACT) % SUB_BUCKETS;
        return (long) (SUB_BUCKETS + sub) << (exponent - 3);
    }
}
