package dev.loomcounter.client.load;

import dev.loomcounter.protocol.Request;
import dev.loomcounter.settings.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * What the load client does: {@code clients} connections at once, until the {@code limit}, paced by {@code pacing},
 * after a {@code warmup} whose requests are checked but not measured; and how its result is judged.
 *
 * @param seed       makes the requests repeatable; empty for fresh ones
 * @param timeout    a request not answered within this long, counted from its send, is a failed request
 * @param thresholds limits the measured part must keep, checked at the end
 */
public record LoadSettings(int clients, Limit limit, Pacing pacing, Duration warmup, IncrementRange increments,
                           OptionalLong seed, Duration timeout, List<Threshold> thresholds) {

    /** Open loop: at most a million requests a second, far beyond what one client process can send. */
    public static final double MAX_RATE = 1_000_000;

    /** When the measured part of the run ends. */
    public sealed interface Limit {
        /** After this many measured requests on each connection. */
        record Requests(int perConnection) implements Limit {
        }

        /**
         * After this many measured requests in all, dealt out evenly: a connection sends {@code total / clients},
         * the first {@code total % clients} connections one more.
         */
        record Total(long total) implements Limit {
        }

        /** After this long, counted from the end of the warm-up. */
        record Time(Duration length) implements Limit {
        }
    }

    /** When each request is sent. */
    public sealed interface Pacing {
        /**
         * Each connection sends its next request when the last one is answered: the server sets the pace, and a
         * server that stalls is simply asked less (see docs/load-client.md, coordinated omission).
         */
        record ClosedLoop() implements Pacing {
        }

        /**
         * Requests go out at {@code perSecond} in all, on a fixed schedule, whether or not the earlier ones were
         * answered; latency counts from the time a request was due, so a stall shows up in every request it delayed.
         */
        record OpenLoop(double perSecond) implements Pacing {
        }
    }

    public LoadSettings {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(pacing, "pacing");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(increments, "increments");
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(timeout, "timeout");
        thresholds = List.copyOf(thresholds);
        if (clients < 1) {
            throw new IllegalArgumentException("--clients must be 1 or more, got " + clients);
        }
        switch (limit) {
            case Limit.Requests(int perConnection) when perConnection < 1 ->
                    throw new IllegalArgumentException("--requests must be 1 or more, got " + perConnection);
            case Limit.Total(long total) when total < 1 ->
                    throw new IllegalArgumentException("--total must be 1 or more, got " + total);
            case Limit.Time(Duration length) when length.isZero() || length.isNegative() ->
                    throw new IllegalArgumentException("--duration must be longer than 0, got "
                            + Durations.format(length));
            default -> {
            }
        }
        if (pacing instanceof Pacing.OpenLoop(double perSecond) && !(perSecond > 0 && perSecond <= MAX_RATE)) {
            throw new IllegalArgumentException("--rate must be more than 0 and at most " + (long) MAX_RATE
                    + " requests/s, got " + perSecond);
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("--warmup must be 0 or longer, got " + warmup);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("--timeout must be longer than 0, got " + Durations.format(timeout));
        }
    }

    /** Whether an {@code errors} threshold says how many failed requests the run may have. */
    boolean toleratesErrors() {
        return thresholds.stream().anyMatch(threshold -> threshold.statistic() instanceof Threshold.Statistic.ErrorRate);
    }

    /** The measured requests connection {@code connection} sends; {@link Integer#MAX_VALUE} for a timed run. */
    int quota(int connection) {
        return switch (limit) {
            case Limit.Requests(int perConnection) -> perConnection;
            case Limit.Total(long total) ->
                    (int) Math.min(Integer.MAX_VALUE, total / clients + (connection < total % clients ? 1 : 0));
            case Limit.Time(Duration length) -> Integer.MAX_VALUE;
        };
    }

    /** The measured requests a run makes in all, if it is limited by count. */
    OptionalLong expectedReplies() {
        return switch (limit) {
            case Limit.Requests(int perConnection) -> OptionalLong.of((long) clients * perConnection);
            case Limit.Total(long total) -> OptionalLong.of(total);
            case Limit.Time(Duration length) -> OptionalLong.empty();
        };
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

    /** The run in one line, e.g. {@code 4 connections x 25 requests (increments 0..10, seed 7)}. */
    String describe() {
        String size = switch (limit) {
            case Limit.Requests(int perConnection) -> String.format("%,d connections x %,d requests", clients,
                    perConnection);
            case Limit.Total(long total) -> String.format("%,d connections, %,d requests in all", clients, total);
            case Limit.Time(Duration length) -> String.format("%,d connections for %s", clients,
                    Durations.format(length));
        };
        String pace = switch (pacing) {
            case Pacing.ClosedLoop() -> "";
            case Pacing.OpenLoop(double perSecond) -> String.format(", open loop at %,.0f requests/s", perSecond);
        };
        return size + pace + " (increments " + increments
                + (warmup.isZero() ? "" : ", warm-up " + Durations.format(warmup))
                + (seed.isPresent() ? ", seed " + seed.getAsLong() : "") + ")";
    }
}
