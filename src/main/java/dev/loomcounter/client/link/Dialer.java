package dev.loomcounter.client.link;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;

/**
 * Opens connections to one server, with the client's timeouts, and at most {@link #MAX_CONNECTING} connection
 * attempts at a time.
 *
 * <p>Why a limit when threads are cheap: ten thousand virtual threads may all call {@code connect()} at the same
 * moment, but the server's accept queue holds about a thousand; the rest would be dropped by the kernel and retried a
 * second later. Virtual threads make waiting cheap, not resources plentiful: a {@link Semaphore} bounds the resource,
 * and the threads waiting for a permit simply park. (The old answer, a pool of N threads, would bound the threads
 * instead, and with them everything else they do.)
 */
public final class Dialer {

    /** Connection attempts in flight at once; well below the server's accept backlog of 1,024. */
    static final int MAX_CONNECTING = 256;

    private final ServerAddress address;
    private final Duration connectTimeout;
    private final Duration byeTimeout;
    private final Semaphore connecting = new Semaphore(MAX_CONNECTING);

    public Dialer(ServerAddress address, Duration connectTimeout, Duration byeTimeout) {
        this.address = Objects.requireNonNull(address, "address");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.byeTimeout = Objects.requireNonNull(byeTimeout, "byeTimeout");
    }

    public ServerAddress address() {
        return address;
    }

    /**
     * Connects, waiting for a free attempt slot first.
     *
     * @throws LinkException        if the connection cannot be made; its message says why, in one line
     * @throws InterruptedException if interrupted while waiting for a slot (the client's scope was cancelled)
     */
    public ServerLink open() throws LinkException, InterruptedException {
        connecting.acquire();
        try {
            return ServerLink.open(address, connectTimeout, byeTimeout);
        } finally {
            connecting.release();
        }
    }
}
