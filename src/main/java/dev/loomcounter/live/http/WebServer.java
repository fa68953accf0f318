package dev.loomcounter.live.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A small HTTP/1.1 server: a virtual thread per connection, at most {@link WebLimits#maxConnections()} of them, each
 * request head within {@link WebLimits#headDeadline()}. It serves the live view, a handful of read-only paths, and is
 * written to be read: every limit a client could push against is here, and nothing else is.
 *
 * <p>Why not the JDK's {@code com.sun.net.httpserver.HttpServer}: it resets the connection where a too-large head
 * deserves {@code 431}, its connection and time limits are system properties shared by the whole JVM and read once,
 * and its response time limit would cut the live view's endless event stream.
 */
public final class WebServer implements AutoCloseable {

    /** After a failed accept, the first pause; it doubles while accepts keep failing, up to a second. */
    private static final long FIRST_BACKOFF_MILLIS = 10;
    private static final long MAX_BACKOFF_MILLIS = 1_000;

    private final ServerSocket listener;
    private final WebLimits limits;
    private final Handler handler;
    private final HeadParser parser;
    private final HostCheck hosts;
    private final Consumer<String> notes;
    private final Semaphore permits;
    /** Every open connection, for the write watch and for {@link #close()}. */
    private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    private final LongAdder writesTimedOut = new LongAdder();
    private final Thread acceptor;
    private final Thread writeWatch;
    private volatile boolean closed;

    private WebServer(ServerSocket listener, WebLimits limits, Handler handler, Consumer<String> notes) {
        this.listener = listener;
        this.limits = limits;
        this.handler = handler;
        this.notes = notes;
        this.parser = new HeadParser(limits);
        this.hosts = HostCheck.forAddress(listener.getInetAddress());
        this.permits = new Semaphore(limits.maxConnections());
        // A platform thread: with fairness off, CPU-bound subtasks can hold every carrier for seconds, and an accept
        // loop on a virtual thread would wait behind them. The page must open precisely then.
        this.acceptor = Thread.ofPlatform().name("web-acceptor").unstarted(this::acceptLoop);
        this.writeWatch = Thread.ofPlatform().name("web-write-watch").daemon().unstarted(this::watchWrites);
    }

    /**
     * Binds {@code address} (port 0: a free one) and serves requests with {@code handler} until {@link #close()}.
     * {@code notes} hears of the rare events worth a log line: failing accepts, failing handlers.
     */
    public static WebServer start(InetSocketAddress address, WebLimits limits, Handler handler,
            Consumer<String> notes) throws IOException {
        ServerSocket listener = new ServerSocket();
        try {
            listener.bind(address, limits.maxConnections());
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        WebServer server = new WebServer(listener, limits, handler, notes);
        server.acceptor.start();
        server.writeWatch.start();
        return server;
    }

    /** The address and port really bound. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Connections being served now. */
    public int openConnections() {
        return connections.size();
    }

    /** Connections closed because a response's write stayed blocked longer than the write timeout. */
    public long writesTimedOut() {
        return writesTimedOut.sum();
    }

    private void acceptLoop() {
        // The scope is the connections' parent: a thread dump shows "web" with web-1, web-2, ... under it, and the
        // loop cannot end before every connection has. awaitAll(): one connection failing must not end the others.
        try (var scope = StructuredTaskScope.open(Joiner.<Void>awaitAll(),
                config -> config.withName("web").withThreadFactory(Thread.ofVirtual().name("web-", 1).factory()))) {
            long backoffMillis = FIRST_BACKOFF_MILLIS;
            while (!closed) {
                Socket socket;
                try {
                    socket = listener.accept();
                    backoffMillis = FIRST_BACKOFF_MILLIS;
                } catch (IOException e) {
                    if (closed) {
                        break;
                    }
                    // Too many open files, most likely. Retrying at once would spin a core on the same error;
                    // connections already open are fine, and some will close.
                    notes.accept("live view: accept failed: " + e + "; retrying in " + backoffMillis + " ms");
                    Thread.sleep(backoffMillis);
                    backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
                    continue;
                }
                // The permit is tried before anything else is spent on the connection: beyond the cap, a socket is
                // held for the few microseconds it takes to say so.
                if (!permits.tryAcquire()) {
                    refuse(socket);
                    continue;
                }
                HttpConnection connection;
                try {
                    connection = new HttpConnection(socket, limits, parser, hosts, handler, notes);
                } catch (IOException e) {
                    closeQuietly(socket); // closed by the client already
                    permits.release();
                    continue;
                }
                connections.add(connection);
                if (closed) {
                    // close() ran between accept and add, and did not see this connection: close it here.
                    connection.close();
                }
                // One virtual thread per connection: it blocks in reads and writes, which costs a virtual thread
                // next to nothing, so the connection's code is plain sequential code.
                scope.fork(() -> serve(socket, connection));
            }
            scope.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(Socket socket, HttpConnection connection) {
        try (socket) {
            connection.serve();
        } catch (IOException e) {
            // the client went away, or the socket was closed here: either way the connection is over
        } finally {
            connections.remove(connection);
            permits.release();
        }
    }

    /**
     * The write timeout, watched by one thread for every connection, a few times per timeout: a client that stops
     * reading fills its receive window, the server's write blocks, and only closing the socket unblocks it. Without
     * this, a page that never reads would hold its thread, its socket and its permit forever.
     */
    private void watchWrites() {
        long timeoutNanos = limits.writeTimeout().toNanos();
        long periodMillis = Math.clamp(limits.writeTimeout().toMillis() / 4, 10, 1_000);
        try {
            while (!closed) {
                Thread.sleep(periodMillis);
                long now = System.nanoTime();
                for (HttpConnection connection : connections) {
                    if (connection.closeIfWriteStuck(now, timeoutNanos)) {
                        writesTimedOut.increment();
                    }
                }
            }
        } catch (InterruptedException e) {
            // the server is closing
        }
    }

    /**
     * Over the cap: {@code 503} at once, on the acceptor's thread (a fresh socket's send buffer is empty, so the
     * write does not block), and the socket closed. The client hears when to try again.
     */
    private void refuse(Socket socket) {
        try (socket) {
            socket.getOutputStream().write(ResponseHead.refusal(Status.SERVICE_UNAVAILABLE,
                    "the live view serves " + limits.maxConnections() + " connections at most; try again",
                    new Header("Retry-After", "1")));
        } catch (IOException e) {
            // the client is gone already
        }
    }

    /** Stops accepting, closes every connection, and returns once every connection's thread has finished. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        writeWatch.interrupt();
        connections.forEach(HttpConnection::close);
        boolean interrupted = false;
        while (true) {
            try {
                acceptor.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing is all that was asked; a socket that fails to close is closed enough
        }
    }
}
