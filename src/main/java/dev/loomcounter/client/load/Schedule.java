package dev.loomcounter.client.load;

/**
 * When each request of an open-loop run is due: {@code rate} requests a second in all, evenly spaced, dealt round-robin
 * to the connections. Connection {@code c}'s {@code k}-th request is the run's {@code (k * connections + c)}-th, due
 * at {@code start + (k * connections + c) / rate} seconds: each connection sends at {@code rate / connections}, and
 * the connections take turns, so the server sees one steady stream rather than bursts of {@code connections}.
 */
record Schedule(long startNanos, int connections, double perSecond) {

    Schedule {
        if (connections < 1 || !(perSecond > 0)) {
            throw new IllegalArgumentException("connections " + connections + ", rate " + perSecond);
        }
    }

    long dueNanos(int connection, long k) {
        double index = (double) k * connections + connection;
        return startNanos + Math.round(index * 1e9 / perSecond);
    }
}
