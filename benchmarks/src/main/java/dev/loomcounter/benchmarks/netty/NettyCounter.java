package dev.loomcounter.benchmarks.netty;

import dev.loomcounter.counting.BusyLoop;
import dev.loomcounter.protocol.ErrorCode;
import dev.loomcounter.protocol.Request;
import dev.loomcounter.protocol.RequestParser;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * loom-counter's protocol on Netty 4.2's epoll event loops: the server a Java programmer would pick instead of virtual
 * threads, written the two obvious ways, to measure loom-counter against.
 *
 * <ul>
 *   <li>{@code --shape inline} ({@link InlineCounting}): every increment runs right on the event loop. Nothing is
 *       forked and nothing waits: the upper bound of a JVM serving path, and a server that stalls every connection of
 *       its loop while one request counts.</li>
 *   <li>{@code --shape fanout} ({@link FanOutCounting}): one task per increment on a pool of one thread per core,
 *       joined with {@code CompletableFuture.allOf}, the answer written back on the channel's loop, in order. What a
 *       Netty user writes for work that must not block the loop.</li>
 * </ul>
 *
 * <p>Both parse lines with the server's own {@link RequestParser} and run the server's own {@link BusyLoop}: the
 * three servers differ only in how they serve. They cover the load path and its errors (every {@code ERR} of a bad
 * line, {@code line-too-long}, {@code busy}), not the rest of loom-counter: no request timeout, no idle or write
 * timeout, no subtask budget, no orderly shutdown (the process just ends), and a last line without a line end is
 * dropped at the end of the stream.
 *
 * <p>Run it from the benchmarks jar ({@code ./mvnw -f benchmarks/pom.xml package -DskipTests} builds it):
 * <pre>{@code java --enable-preview --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.loomcounter.benchmarks.netty.NettyCounter --shape fanout --port 7414 --unit-iterations 1}</pre>
 * It prints {@code netty-counter (fanout) listening on 127.0.0.1:PORT} once it listens ({@code --port 0}: a free
 * port).
 */
public final class NettyCounter {

    /** The same defaults as loom-counter's server, so that one command line fits all of them. */
    record Options(String shape, String host, int port, long unitIterations, int maxUnits, int maxIncrements,
                   int maxConnections, int maxLineBytes) {

        static Options parse(String... args) {
            String shape = "fanout";
            String host = "127.0.0.1";
            int port = 7007;
            long unitIterations = 8_000_000;
            int maxUnits = 10;
            int maxIncrements = 10_000;
            int maxConnections = 1_000;
            int maxLineBytes = 1_024;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--shape" -> shape = value;
                    case "--host" -> host = value;
                    case "--port" -> port = Integer.parseInt(value);
                    case "--unit-iterations" -> unitIterations = Long.parseLong(value);
                    case "--max-units" -> maxUnits = Integer.parseInt(value);
                    case "--max-increments" -> maxIncrements = Integer.parseInt(value);
                    case "--max-connections" -> maxConnections = Integer.parseInt(value);
                    case "--max-line-bytes" -> maxLineBytes = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (!shape.equals("inline") && !shape.equals("fanout")) {
                throw new IllegalArgumentException("--shape must be inline or fanout, got " + shape);
            }
            if (unitIterations < 0 || maxUnits < 1 || maxIncrements < 0 || maxConnections < 1 || maxLineBytes < 16) {
                throw new IllegalArgumentException("out of range: " + String.join(" ", args));
            }
            return new Options(shape, host, port, unitIterations, maxUnits, maxIncrements, maxConnections,
                    maxLineBytes);
        }
    }

    /** One increment's work: 1 to maxUnits units (drawn anew each time) of the server's busy loop. */
    record Work(long unitIterations, int maxUnits) {
        /** Runs one increment. Interrupted (the fan-out's cancel), it throws, as a subtask of the server does. */
        void increment() throws InterruptedException {
            int units = ThreadLocalRandom.current().nextInt(1, maxUnits + 1);
            BusyLoop.spin(units * unitIterations);
        }
    }

    private NettyCounter() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("netty-counter: " + e.getMessage());
            System.err.println("usage: NettyCounter --shape inline|fanout [--host H] [--port P] [--unit-iterations N]"
                    + " [--max-units N] [--max-increments N] [--max-connections N] [--max-line-bytes N]");
            System.exit(2);
            return;
        }
        if (!Epoll.isAvailable()) {
            // Refuse rather than fall back to NIO: a different transport would be a different server to compare.
            throw new IllegalStateException("the epoll transport is not available", Epoll.unavailabilityCause());
        }
        serve(options);
    }

    /** Serves until the process ends; {@link #start} is the part tests use. */
    static void serve(Options options) throws InterruptedException {
        start(options).closeFuture().sync();
    }

    /** A running server: its listening port, and how to wait for it to end. */
    record Running(int port, io.netty.channel.Channel channel, EventLoopGroup boss, EventLoopGroup loops,
                   ExecutorService pool) implements AutoCloseable {
        io.netty.channel.ChannelFuture closeFuture() {
            return channel.closeFuture();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            boss.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            loops.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            pool.shutdownNow();
        }
    }

    static Running start(Options options) throws InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        // One loop accepts; one loop per core serves: Netty's usual layout (its default would be 2 per core).
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(cores, EpollIoHandler.newFactory());
        // The fan-out's pool: one platform thread per core, as many as could spin at once. Daemons: the process ends
        // when its loops do.
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(cores, task -> {
            Thread thread = new Thread(task, "count-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Work work = new Work(options.unitIterations(), options.maxUnits());
        Protocol protocol = new Protocol(new RequestParser(options.maxIncrements()), options.maxLineBytes());
        Supplier<ChannelHandler> handler = options.shape().equals("inline")
                ? () -> new InlineCounting(protocol, work)
                : () -> new FanOutCounting(protocol, work, pool);
        ConnectionLimit limit = new ConnectionLimit(options.maxConnections());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, loops)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                // A half-closed connection (the client's FIN) is "no more requests", not "gone": answer what came.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(limit,
                                new LineBasedFrameDecoder(options.maxLineBytes()),
                                handler.get());
                    }
                });
        io.netty.channel.Channel channel = bootstrap.bind(options.host(), options.port()).sync().channel();
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        System.out.printf(Locale.ROOT, "netty-counter (%s) listening on %s:%d (unit-iterations=%d, %d event loops)%n",
                options.shape(), options.host(), port, options.unitIterations(), cores);
        System.out.flush();
        return new Running(port, channel, boss, loops, pool);
    }

    /**
     * What both shapes share: a line read as a request (by the server's own parser), and the lines written back.
     * The decoder before the handler cuts the stream into lines of at most {@code maxLineBytes}; a longer one reaches
     * the handler as an exception, which {@link #tooLong} turns into the protocol's error.
     */
    record Protocol(RequestParser parser, int maxLineBytes) {

        Request parse(ByteBuf frame) {
            return parser.parse(ByteBufUtil.getBytes(frame));
        }

        /** The decoder's complaint about a long line, as the request it stands for: an error that closes. */
        Request.Rejected tooLong() {
            return new Request.Rejected(ErrorCode.LINE_TOO_LONG, "line exceeds " + maxLineBytes + " bytes; closing");
        }

        static boolean isTooLong(Throwable cause) {
            return cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException;
        }

        static ByteBuf line(ChannelHandlerContext ctx, String text) {
            return ByteBufUtil.writeAscii(ctx.alloc(), text + "\n");
        }

        static ByteBuf error(ChannelHandlerContext ctx, Request.Rejected rejected) {
            return line(ctx, "ERR " + rejected.code().wireName() + " " + rejected.reason());
        }
    }

    /** {@code ERR busy} for the connection past {@code --max-connections}, then the close: one handler for all. */
    @ChannelHandler.Sharable
    static final class ConnectionLimit extends ChannelInboundHandlerAdapter {
        private final int max;
        private final AtomicInteger open = new AtomicInteger();

        ConnectionLimit(int max) {
            this.max = max;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (open.incrementAndGet() > max) {
                ctx.channel().config().setAutoRead(false); // nothing of it is read: no handler sees a line
                ctx.writeAndFlush(Protocol.line(ctx, "ERR busy server is at its maximum of " + max + " connections"))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.decrementAndGet();
            ctx.fireChannelInactive();
        }
    }
}
