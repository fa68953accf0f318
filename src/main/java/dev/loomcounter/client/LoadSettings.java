package dev.loomcounter.client;

import dev.loomcounter.protocol.Request;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * What the load client does: {@code clients} connections at once, {@code requests} requests on each.
 *
 * @param seed makes the requests repeatable; empty for fresh ones
 */
record LoadSettings(int clients, int requests, IncrementRange increments, OptionalLong seed) {

    /** Every round trip is kept for the percentiles, one long each: 80 MB at most. */
    static final int MAX_TOTAL_REQUESTS = 10_000_000;

    LoadSettings {
        Objects.requireNonNull(increments, "increments");
        Objects.requireNonNull(seed, "seed");
        if (clients < 1) {
            throw new IllegalArgumentException("--clients must be 1 or more, got " + clients);
        }
        if (requests < 1) {
            throw new IllegalArgumentException("--requests must be 1 or more, got " + requests);
        }
        if ((long) clients * requests > MAX_TOTAL_REQUESTS) {
            throw new IllegalArgumentException("--clients x --requests must be at most " + MAX_TOTAL_REQUESTS
                    + ", got " + (long) clients * requests);
        }
    }

    int totalRequests() {
        return clients * requests;
    }

    /** The root of every connection's random stream; each connection gets its own {@code split()}. */
    SplittableRandom randomRoot() {
        return seed.isPresent() ? new SplittableRandom(seed.getAsLong()) : new SplittableRandom();
    }

    /**
     * A random request that the server must be able to answer: any start in the 64-bit range, as long as
     * start + increments does not overflow.
     */
    Request.Count nextRequest(RandomGenerator random) {
        int count = increments.draw(random);
        // The bound is exclusive: start <= Long.MAX_VALUE - count - 1. Losing the one topmost start is the price of a
        // bound that cannot overflow itself.
        long start = random.nextLong(Long.MIN_VALUE, Long.MAX_VALUE - count);
        return new Request.Count(start, count);
    }
}
