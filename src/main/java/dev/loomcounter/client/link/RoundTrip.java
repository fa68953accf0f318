package dev.loomcounter.client.link;

/** Round-trip and latency times for people: milliseconds, with a decimal where it still means something. */
public final class RoundTrip {

    private RoundTrip() {
    }

    public static String format(long nanos) {
        double millis = nanos / 1e6;
        return millis < 10 ? String.format("%.2f ms", millis)
                : millis < 1_000 ? String.format("%.1f ms", millis)
                : String.format("%,.0f ms", millis);
    }
}
