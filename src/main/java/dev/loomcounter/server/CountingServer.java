package dev.loomcounter.server;

import dev.loomcounter.counting.CpuScheduler;
import dev.loomcounter.counting.RequestCounter;
import dev.loomcounter.counting.SubtaskGauge;
import dev.loomcounter.counting.Work;
import dev.loomcounter.live.Recorder;
import dev.loomcounter.log.Log;
import dev.loomcounter.protocol.ErrorCode;
import dev.loomcounter.protocol.Reply;
import dev.loomcounter.protocol.RequestParser;
import dev.loomcounter.settings.Durations;
import dev.loomcounter.settings.Fairness;
import dev.loomcounter.settings.ServerSettings;
import dev.loomcounter.settings.ThreadKind;
import dev.loomcounter.settings.WorkKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The counting server: accepts connections and gives each one its own thread.
 *
 * <p>One platform thread, the acceptor, runs the accept loop. It owns the server's scope, and forks every accepted
 * connection into it as a subtask: the scope is the tree a thread dump shows, server, then connections, then their
 * requests, then the requests' increments. Nothing outlives its parent: the server does not stop until every
 * connection has, and a connection does not close until its request has stopped.
 */
public final class CountingServer implements AutoCloseable {

    private final ServerSettings settings;
    private final Log log;
    private final ServerSocket serverSocket;
    private final Semaphore connectionPermits;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final InFlightRequests inFlight = new InFlightRequests();
    private final SubtaskGauge subtasks = new SubtaskGauge();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final CpuScheduler cpu;
    private final Connection.Shared shared;
    private final Thread acceptor;
    private final Recorder live;

    private CountingServer(ServerSettings settings, Log log) throws IOException {
        this.settings = settings;
        this.log = log;
        this.connectionPermits = new Semaphore(settings.maxConnections());
        this.live = recorder(settings, subtasks);
        this.cpu = cpuScheduler(settings, live);
        RequestCounter counter = new RequestCounter(Work.of(settings.work(), cpu), settings.work().maxUnits(),
                settings.threads(), settings.requestTimeout(), log, subtasks, live);
        this.shared = new Connection.Shared(settings, new RequestParser(settings.maxIncrements()), counter, log,
                inFlight, shuttingDown::get, live);
        this.serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(settings.host(), settings.port()), 1_024);
        // A platform thread: the accept loop must never wait behind busy virtual threads for a carrier.
        this.acceptor = Thread.ofPlatform().name("acceptor").unstarted(this::acceptLoop);
    }

    /** One pool thread per core: more would only take turns on the same cores. */
    private static CpuScheduler cpuScheduler(ServerSettings settings, Recorder live) {
        return switch (settings.fairness()) {
            case ON -> CpuScheduler.fair(Runtime.getRuntime().availableProcessors(), live);
            case OFF -> CpuScheduler.inline();
        };
    }

    /** The live view's recorder: a subtask keeps its carrier throughout only when it spins there itself. */
    private static Recorder recorder(ServerSettings settings, SubtaskGauge subtasks) {
        Recorder live = new Recorder(settings.work().description() + ", " + settings.threads().description()
                + ", fairness " + settings.fairness().name().toLowerCase(), settings.work().kind() == WorkKind.SPIN
                && settings.fairness() == Fairness.OFF && settings.threads() == ThreadKind.VIRTUAL);
        live.gauge("loomcounter_subtasks_running", "Subtasks running now.", subtasks::running);
        live.gauge("loomcounter_subtasks_completed_total", "Subtasks that incremented.", subtasks::completed);
        live.gauge("loomcounter_subtasks_cancelled_total", "Subtasks stopped by a cancelled scope.", subtasks::cancelled);
        return live;
    }

    /** Where the live view gets its events; nothing is recorded until a page is open. */
    public Recorder live() {
        return live;
    }

    /** Binds the address and starts accepting in the background; {@link #close()} stops it. */
    public static CountingServer start(ServerSettings settings, Log log) throws IOException {
        CountingServer server = new CountingServer(settings, log);
        server.log.info("loom-counter listening on " + server.address().getHostString() + ":" + server.port()
                + " with " + settings.threads().description() + " (Java " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores)");
        server.log.info("  " + settings.work().description() + "; at most " + settings.maxConnections()
                + " connections, " + settings.maxIncrements() + " increments a request; fairness "
                + settings.fairness().name().toLowerCase() + "; request timeout "
                + Durations.format(settings.requestTimeout()) + ", idle timeout "
                + Durations.format(settings.idleTimeout()));
        server.acceptor.start();
        return server;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    /** The port really bound: the one asked for, or the free one chosen for port 0. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** True from the moment {@link #close()} is called. */
    public boolean isShuttingDown() {
        return shuttingDown.get();
    }

    /** Connections being served now. */
    public int openConnections() {
        return connections.size();
    }

    /** Live counts of increments (subtasks): how many run now, how many finished or were cancelled. */
    public SubtaskGauge subtasks() {
        return subtasks;
    }

    private void acceptLoop() {
        // awaitAll(): the server's scope never cancels itself. One connection ending, however it ends, must not
        // touch the others; the scope is there so that the server cannot finish while any connection still runs.
        try (var scope = StructuredTaskScope.open(
                Joiner.<Ending>awaitAll(),
                config -> config.withName("server")
                        .withThreadFactory(settings.threads().factory("connection-")))) {
            int nextId = 1;
            while (true) {
                Socket socket;
                try {
                    socket = serverSocket.accept();
                } catch (IOException e) {
                    if (!shuttingDown.get()) {
                        log.info("accept failed, stopping: " + e);
                    }
                    break;
                }
                if (!connectionPermits.tryAcquire()) {
                    refuse(socket);
                    continue;
                }
                Connection connection = new Connection(nextId++, socket, shared);
                connections.add(connection);
                // One thread per connection: its thread blocks in reads and joins, which costs a virtual thread
                // next to nothing, so the code can be plain sequential code.
                scope.fork(() -> serve(connection));
            }
            drain();
            // Every connection has been told to close; join() waits until each one's thread has finished.
            scope.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            cpu.close();
            log.info("server stopped");
            terminated.countDown();
        }
    }

    private Ending serve(Connection connection) throws InterruptedException {
        Thread.currentThread().setName(connection.name());
        live.connectionOpened(connection.name());
        log.info(connection.name() + " opened from " + connection.remoteAddress() + " on " + Thread.currentThread()
                + " (" + connections.size() + " open)");
        Ending ending = null;
        try {
            ending = connection.serve();
            return ending;
        } finally {
            connections.remove(connection);
            connectionPermits.release();
            live.connectionClosed(connection.name(), ending == null ? "cancelled" : ending.description());
            log.info(connection.name() + " closed: " + (ending == null ? "cancelled" : ending.description())
                    + " after " + connection.requestsAnswered() + " requests (" + connections.size() + " open)");
        }
    }

    /** More connections than allowed: say so and close, rather than let the client wait in silence. */
    private void refuse(Socket socket) {
        try (socket) {
            String line = new Reply.Error(ErrorCode.BUSY, "the server already serves its maximum of "
                    + settings.maxConnections() + " connections; try again later").toLine() + "\n";
            socket.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the client is gone already
        }
        log.info("refused a connection from " + socket.getRemoteSocketAddress() + ": busy");
    }

    /** After the accept loop: let running requests finish within the grace period, then close every connection. */
    private void drain() throws InterruptedException {
        int running = inFlight.count();
        if (running > 0) {
            log.info("waiting up to " + Durations.format(settings.shutdownGrace()) + " for " + running
                    + " running requests");
        }
        if (!inFlight.awaitNone(settings.shutdownGrace())) {
            log.info("grace period over: cancelling " + inFlight.count() + " running requests");
        }
        // Closing a socket ends its connection: the reader fails, the connection's scope is cancelled, and that
        // cancels the request in flight and every one of its subtasks.
        connections.forEach(Connection::closeQuietly);
    }

    /**
     * Stops the server: no new connections, {@code ERR shutting-down} to new requests, a grace period for running
     * ones, then every connection closed. Returns when every thread of the server has finished.
     */
    @Override
    public void close() {
        if (shuttingDown.compareAndSet(false, true)) {
            log.info("shutting down: no new connections or requests");
            try {
                serverSocket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        awaitTermination();
    }

    /** Waits until the server has stopped (after {@link #close()}, from any thread). */
    public void awaitTermination() {
        boolean interrupted = false;
        while (true) {
            try {
                terminated.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
