package dev.loomcounter.server;

import dev.loomcounter.live.Recorder;
import dev.loomcounter.log.Log;
import dev.loomcounter.protocol.ErrorCode;
import dev.loomcounter.protocol.Reply;
import dev.loomcounter.settings.Durations;
import dev.loomcounter.settings.ServerSettings;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs on the acceptor ({@link #admit}, {@link #drain}), on each connection's own thread ({@link #serve}) and on the
 * {@code timeouts} thread ({@link #watchTimeouts}): the connections being served, and what the server does to all of
 * them at once, the write and idle timeouts and a shutdown's grace period.
 */
final class Connections {

    private final ServerSettings settings;
    private final Log log;
    private final Recorder live;
    private final Semaphore permits;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    Connections(ServerSettings settings, Log log, Recorder live) {
        this.settings = settings;
        this.log = log;
        this.live = live;
        this.permits = new Semaphore(settings.maxConnections());
    }

    /**
     * Takes a place for one more connection. With none left, says so and closes, rather than let the client wait in
     * silence, and returns false.
     */
    boolean admit(Socket socket) {
        if (permits.tryAcquire()) {
            return true;
        }
        try (socket) {
            String line = new Reply.Error(ErrorCode.BUSY, "the server already serves its maximum of "
                    + settings.maxConnections() + " connections; try again later").toLine() + "\n";
            socket.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the client is gone already
        }
        log.connection(() -> "refused a connection from " + socket.getRemoteSocketAddress() + ": busy");
        return false;
    }

    void opened(Connection connection) {
        open.add(connection);
    }

    /** Serves an admitted connection on its own thread, and lets it go: its opening and closing lines, its place. */
    Ending serve(Connection connection) {
        live.connectionOpened(connection.name());
        log.connectionOpened(() -> connection.name() + " opened from " + connection.remoteAddress() + " on "
                + Thread.currentThread() + " (" + open.size() + " open)");
        Ending ending = null;
        try {
            ending = connection.serve();
            return ending;
        } finally {
            open.remove(connection);
            permits.release();
            String why = ending == null ? "cancelled" : ending.description();
            live.connectionClosed(connection.name(), why);
            log.connection(() -> connection.name() + " closed: " + why
                    + " after " + connection.requestsAnswered() + " requests (" + open.size() + " open)");
        }
    }

    int size() {
        return open.size();
    }

    /**
     * The write and idle timeouts, watched by one platform thread for all connections: it looks at each a few times
     * per timeout and closes those stuck in a write (Java sockets have no write timeout) or idle for too long. Closing
     * the socket wakes the blocked write or read. Watching from here, rather than with a timed read, leaves an idle
     * connection's parked reader without a timer of its own.
     */
    void watchTimeouts() {
        long writeNanos = settings.writeTimeout().toNanos();
        long idleNanos = settings.idleTimeout().toNanos();
        long periodMillis = Math.clamp(Math.min(settings.writeTimeout().toMillis(), settings.idleTimeout().toMillis())
                / 4, 10, 1_000);
        try {
            while (true) {
                Thread.sleep(periodMillis);
                long now = System.nanoTime();
                open.forEach(connection -> {
                    connection.closeIfWriteStuck(now, writeNanos);
                    connection.closeIfIdle(now, idleNanos);
                });
            }
        } catch (InterruptedException e) {
            // the server has stopped
        }
    }

    /** After the accept loop: let running requests finish within the grace period, then end every connection. */
    void drain() throws InterruptedException {
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        long running = running();
        if (running > 0) {
            log.info("waiting up to " + Durations.format(settings.shutdownGrace()) + " for " + running
                    + " running requests");
        }
        // A shutdown happens once: looking every few milliseconds costs nothing worth a signal per request.
        while (running > 0 && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(10, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1));
            running = running();
        }
        if (running > 0) {
            log.info("grace period over: cancelling " + running + " running requests");
        }
        // Cancelling a connection ends it: its scope is cancelled, and that cancels the request in flight and every
        // one of its subtasks.
        open.forEach(Connection::cancel);
    }

    private long running() {
        return open.stream().filter(Connection::working).count();
    }
}
