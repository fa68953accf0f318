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
 *                              (a run of so many requests in all deals them out: {@link #withQuota})
 */
record Phases(long start, long measuredFrom, long end, int measuredPerConnection) {

    /** The phases of the run, for its first connection; each connection takes its own {@link #withQuota}. */
    static Phases startingNow(LoadSettings settings) {
        long start = System.nanoTime();
        long measuredFrom = start + settings.warmup().toNanos();
        long end = settings.limit() instanceof LoadSettings.Limit.Time(Duration length)
                ? measuredFrom + length.toNanos() : Long.MAX_VALUE;
        return new Phases(start, measuredFrom, end, settings.quota(0));
    }

    /** The same phases for one connection, which sends {@code quota} measured requests. */
    Phases withQuota(int quota) {
        return new Phases(start, measuredFrom, end, quota);
    }

    boolean measured(long due) {
        return due - measuredFrom >= 0;
    }

    /** Whether a connection that has sent {@code measuredSent} measured requests may send one due at {@code due}. */
    boolean allows(long due, int measuredSent) {
        return due - end < 0 && !(measured(due) && measuredSent >= measuredPerConnection);
    }
}
