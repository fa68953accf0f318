package dev.loomcounter.server;

import dev.loomcounter.counting.RequestCounter;
import dev.loomcounter.counting.SubtaskGauge;
import dev.loomcounter.live.LiveServer;
import dev.loomcounter.live.http.Authority;
import dev.loomcounter.live.Recorder;
import dev.loomcounter.log.Log;
import dev.loomcounter.protocol.RequestParser;
import dev.loomcounter.settings.Durations;
import dev.loomcounter.settings.Fairness;
import dev.loomcounter.settings.ServerSettings;
import dev.loomcounter.settings.ThreadKind;
import dev.loomcounter.settings.WorkKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The counting server. Its accept loop runs on one platform thread, the acceptor, which gives each connection its own
 * thread.
 *
 * <p>The acceptor owns the server's scope, and forks every accepted
 * connection into it as a subtask: the scope is the tree a thread dump shows, server, then connections, then their
 * workers, then the requests, then the requests' increments. Nothing outlives its parent: the server does not stop
 * until every connection has, and a connection does not close until its request has stopped.
 */
public final class CountingServer implements AutoCloseable {

    /** After a failed accept, the first pause; it doubles while accepts keep failing, up to a second. */
    private static final long FIRST_BACKOFF_MILLIS = 10;
    private static final long MAX_BACKOFF_MILLIS = 1_000;

    private final ServerSettings settings;
    private final Log log;
    private final ServerSocket serverSocket;
    private final Connections connections;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final RequestCounter counter;
    private final Shared shared;
    private final Thread acceptor;
    private final Thread timeoutWatch;
    private final Recorder live;
    /** The live view's web server, if it runs: set before the acceptor starts, closed by the acceptor at the end. */
    private Optional<LiveServer> view = Optional.empty();

    private CountingServer(ServerSettings settings, Log log, Supplier<RequestCounter> counters) throws IOException {
        this.settings = settings;
        this.log = log;
        // Bind first: if the address is taken, nothing else has been started that would have to be stopped.
        this.serverSocket = new ServerSocket();
        try {
            serverSocket.bind(new InetSocketAddress(settings.host(), settings.port()), 1_024);
        } catch (IOException e) {
            serverSocket.close();
            throw e;
        }
        this.counter = counters.get();
        this.live = recorder(settings, counter.subtasks());
        this.connections = new Connections(settings, log, live);
        this.shared = new Shared(settings, new RequestParser(settings.maxIncrements()), counter, log,
                shuttingDown::get, live);
        // Platform threads: the accept loop and the timeout watch must never wait behind busy virtual threads for a
        // carrier.
        this.acceptor = Thread.ofPlatform().name("acceptor")
                .unstarted(() -> FastPath.bound(this::acceptLoop));
        this.timeoutWatch = Thread.ofPlatform().name("timeouts").daemon().unstarted(connections::watchTimeouts);
    }

    /** The live view's recorder: a subtask keeps its carrier throughout only when it spins there itself. */
    private static Recorder recorder(ServerSettings settings, SubtaskGauge subtasks) {
        Recorder live = new Recorder(settings.work().description() + ", " + settings.threads().description()
                + ", fairness " + settings.fairness().name().toLowerCase(), settings.work().kind() == WorkKind.SPIN
                && settings.fairness() == Fairness.OFF && settings.threads() == ThreadKind.VIRTUAL);
        live.gauge("loomcounter_subtasks_running", "Subtasks running now.", subtasks::running);
        live.gauge("loomcounter_subtasks_completed_total", "Subtasks that incremented.", subtasks::completed);
        live.gauge("loomcounter_subtasks_cancelled_total", "Subtasks stopped by a cancelled scope.",
                subtasks::cancelled);
        return live;
    }

    /**
     * Binds the address and starts accepting in the background, with the live view on {@code --web-host} and
     * {@code --web-port} unless the port is 0; {@link #close()} stops both.
     *
     * @throws java.net.BindException if the address is in use
     */
    public static CountingServer start(ServerSettings settings, Log log) throws IOException {
        return start(settings, log, () -> new RequestCounter(settings.work(), settings.fairness(), settings.threads(),
                settings.requestTimeout(), settings.maxSubtasks(), log));
    }

    /**
     * As {@link #start(ServerSettings, Log)}, with the counting core that {@code counters} makes once the address is
     * bound. For tests in this package only: no flag can make the real core fail, and a core whose work fails on
     * demand is how they see the server answer a failure of its own ({@code ERR internal}) and keep the connection.
     */
    static CountingServer start(ServerSettings settings, Log log, Supplier<RequestCounter> counters)
            throws IOException {
        CountingServer server = new CountingServer(settings, log, counters);
        server.log.info("loom-counter listening on " + Authority.of(server.address().getAddress(), server.port())
                + " with " + settings.threads().description() + " (Java " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores)");
        server.log.info("  " + settings.work().description() + "; at most " + settings.maxConnections()
                + " connections, " + settings.maxIncrements() + " increments a request, " + settings.maxSubtasks()
                + " subtasks at once; fairness " + settings.fairness().name().toLowerCase() + "; request timeout "
                + Durations.format(settings.requestTimeout()) + ", idle timeout "
                + Durations.format(settings.idleTimeout()) + ", write timeout "
                + Durations.format(settings.writeTimeout()));
        if (settings.webPort() != 0) {
            // --web-host, not --host: opening the counting port to a network leaves the page on loopback.
            server.view = LiveServer.startBeside(server.live, settings.webHost(), settings.webPort(), log);
        }
        server.acceptor.start();
        server.timeoutWatch.start();
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

    /** Where the live view gets its events; nothing is recorded until a page is open. */
    public Recorder live() {
        return live;
    }

    /** Live counts of increments (subtasks): how many run now, how many finished or were cancelled. */
    public SubtaskGauge subtasks() {
        return counter.subtasks();
    }

    private void acceptLoop() {
        // awaitAll(): the server's scope never cancels itself. One connection ending, however it ends, must not
        // touch the others; the scope is there so that the server cannot finish while any connection still runs.
        // The factory names each connection's thread conn-1, conn-2, ...: in fork order, as the ids below.
        try (var connectionThreads = live.threads().scope("server", settings.threads().factory("conn-"));
             var scope = StructuredTaskScope.open(
                     Joiner.<Ending>awaitAll(),
                     config -> config.withName("server").withThreadFactory(connectionThreads))) {
            int nextId = 1;
            long backoffMillis = FIRST_BACKOFF_MILLIS;
            while (!shuttingDown.get()) {
                Socket socket;
                try {
                    socket = serverSocket.accept();
                    backoffMillis = FIRST_BACKOFF_MILLIS;
                } catch (IOException | OutOfMemoryError e) {
                    if (shuttingDown.get()) {
                        break;
                    }
                    // Too many open files, or no memory for one more socket: the connections already open are
                    // fine, and some will close. Wait, then try again, rather than end the server.
                    log.info("accept failed: " + e + "; retrying in " + backoffMillis + " ms");
                    Thread.sleep(backoffMillis);
                    backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
                    continue;
                }
                if (!connections.admit(socket)) {
                    continue;
                }
                Connection connection = new Connection(nextId++, socket, shared);
                connections.opened(connection);
                // One thread per connection: its thread blocks in reads and joins, which costs a virtual thread
                // next to nothing, so the code can be plain sequential code.
                scope.fork(() -> connections.serve(connection));
            }
            connections.drain();
            // Every connection has been told to close; join() waits until each one's thread has finished.
            scope.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            timeoutWatch.interrupt();
            counter.close();
            // Last, so that an open page sees every connection close.
            view.ifPresent(LiveServer::close);
            if (!shuttingDown.get()) {
                log.info("the accept loop ended without a shutdown");
            }
            log.info("server stopped");
            terminated.countDown();
        }
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
                // the accept loop ends either way
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
