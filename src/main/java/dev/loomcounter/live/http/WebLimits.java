package dev.loomcounter.live.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Every limit of the live view's web port in one place. Each one bounds what a client can make the server hold: a
 * thread, a socket, a buffer, a subscription. Without them, anyone who can reach the port can take the process's file
 * descriptors away from the counting port, or keep threads waiting forever.
 *
 * @param maxConnections connections served at once; one more gets {@code 503} with {@code Retry-After} and is closed
 *                       at once, so that idle sockets cannot use up the process's file descriptors
 * @param headDeadline   time allowed for a whole request head, from the moment the server starts waiting for it; also
 *                       the limit on an idle kept-alive connection between two requests. A client trickling a byte a
 *                       second (slowloris) is still cut off when it passes: {@code 408}, then closed
 * @param maxTargetBytes longest request target (the path and query); longer gets {@code 414}
 * @param maxHeadBytes   longest request head, request line and header fields together; longer gets {@code 431}
 * @param maxFields      most header fields in one request; more get {@code 431}
 * @param maxSubscribers open {@code /events} streams at once; one more gets {@code 503} with {@code Retry-After}
 * @param writeTimeout   a stream whose write stays blocked this long (the page does not read) is closed
 */
public record WebLimits(
        int maxConnections,
        Duration headDeadline,
        int maxTargetBytes,
        int maxHeadBytes,
        int maxFields,
        int maxSubscribers,
        Duration writeTimeout) {

    /**
     * Sizes for a page a few people look at: a browser opens about six connections to a server, and one
     * {@code /events} stream per tab. Real requests from a browser have heads of about a kilobyte.
     */
    public static final WebLimits DEFAULTS = new WebLimits(
            64,
            Duration.ofSeconds(10),
            2 * 1_024,
            16 * 1_024,
            100,
            16,
            Duration.ofSeconds(5));

    public WebLimits {
        Objects.requireNonNull(headDeadline, "headDeadline");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        requirePositive("maxConnections", maxConnections);
        requirePositive("maxTargetBytes", maxTargetBytes);
        requirePositive("maxFields", maxFields);
        requirePositive("maxSubscribers", maxSubscribers);
        if (maxHeadBytes < maxTargetBytes + 64) {
            throw new IllegalArgumentException("maxHeadBytes must leave room for a request line with the longest "
                    + "target, got " + maxHeadBytes + " for targets of " + maxTargetBytes);
        }
        if (headDeadline.toMillis() < 1 || writeTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("deadlines must be at least a millisecond");
        }
    }

    public WebLimits withMaxConnections(int maxConnections) {
        return new WebLimits(maxConnections, headDeadline, maxTargetBytes, maxHeadBytes, maxFields, maxSubscribers,
                writeTimeout);
    }

    public WebLimits withHeadDeadline(Duration headDeadline) {
        return new WebLimits(maxConnections, headDeadline, maxTargetBytes, maxHeadBytes, maxFields, maxSubscribers,
                writeTimeout);
    }

    public WebLimits withMaxSubscribers(int maxSubscribers) {
        return new WebLimits(maxConnections, headDeadline, maxTargetBytes, maxHeadBytes, maxFields, maxSubscribers,
                writeTimeout);
    }

    public WebLimits withWriteTimeout(Duration writeTimeout) {
        return new WebLimits(maxConnections, headDeadline, maxTargetBytes, maxHeadBytes, maxFields, maxSubscribers,
                writeTimeout);
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
