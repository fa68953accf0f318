package dev.loomcounter.client.load;

import java.time.Duration;

/**
 * The two parts of a run in time, on {@link System#nanoTime()}'s clock: the warm-up, whose requests are checked but
 * not measured, then the measured part, until its end or until each connection has sent its measured requests.
 *
 * @param start               when the first request is due: every connection is open by then
 * @param measuredFrom        the end of the warm-up; a request due (or sent) from then on is measured
 * @param end                 no request is sent at or after this; {@link Long#MAX_VALUE} for a run limited by count
 * @param measuredPerConnection measured requests on each connection; {@link Integer#MAX_VALUE} for a timed run
 */
record Phases(long start, long measuredFrom, long end, int measuredPerConnection) {

    static Phases startingNow(LoadSettings settings) {
        long start = System.nanoTime();
        long measuredFrom = start + settings.warmup().toNanos();
        return switch (settings.limit()) {
            case LoadSettings.Limit.Requests(int perConnection) ->
                    new Phases(start, measuredFrom, Long.MAX_VALUE, perConnection);
            case LoadSettings.Limit.Time(Duration length) ->
                    new Phases(start, measuredFrom, measuredFrom + length.toNanos(), Integer.MAX_VALUE);
        };
    }

    boolean measured(long due) {
        return due - measuredFrom >= 0;
    }

    /** Whether a connection that has sent {@code measuredSent} measured requests may send one due at {@code due}. */
    boolean allows(long due, int measuredSent) {
        return due - end < 0 && !(measured(due) && measuredSent >= measuredPerConnection);
    }
}
