package dev.loomcounter.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the chaos run saw, counted from many client threads at once. */
final class Tally {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> maxima = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Queue<Long> probeNanos = new ConcurrentLinkedQueue<>();

    void count(String what) {
        counts.computeIfAbsent(what, key -> new LongAdder()).increment();
    }

    /** Keeps the largest value seen, e.g. the longest time a stuck client held its connection. */
    void max(String what, long value) {
        maxima.computeIfAbsent(what, key -> new AtomicLong(Long.MIN_VALUE)).accumulateAndGet(value, Math::max);
    }

    /** Something the server must never do: a wrong answer, a lost answer, a stuck client kept forever. */
    void fail(String what) {
        failures.computeIfAbsent(what, key -> new LongAdder()).increment();
    }

    void probe(Duration latency) {
        probeNanos.add(latency.toNanos());
    }

    long get(String what) {
        LongAdder count = counts.get(what);
        return count == null ? 0 : count.sum();
    }

    long maximum(String what) {
        AtomicLong max = maxima.get(what);
        return max == null ? 0 : max.get();
    }

    /** Each kind of failure and how often it happened. */
    Map<String, Long> failures() {
        Map<String, Long> sorted = new TreeMap<>();
        failures.forEach((key, value) -> sorted.put(key, value.sum()));
        return sorted;
    }

    Map<String, Long> counts() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((key, value) -> sorted.put(key, value.sum()));
        return sorted;
    }

    /** The probes' latency at a percentile (0 to 100), in milliseconds. */
    double probeMillis(double percentile) {
        List<Long> sorted = probeNanos.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.clamp(index, 0, sorted.size() - 1)) / 1e6;
    }

    int probes() {
        return probeNanos.size();
    }
}
