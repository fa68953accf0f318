package dev.loomcounter.benchmarks.netty;

import static dev.loomcounter.benchmarks.netty.NettyCounter.Protocol.error;
import static dev.loomcounter.benchmarks.netty.NettyCounter.Protocol.line;

import dev.loomcounter.protocol.Request;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection whose increments run on a pool: one task per increment, joined with
 * {@code CompletableFuture.allOf}, the answer written back on the channel's event loop, one request at a time and in
 * order. The loop itself never counts, so it goes on reading, writing and accepting while the pool works.
 *
 * <p>Every field is touched on the channel's event loop only (the join's callback runs there too): no lock. The
 * price is that the request's state lives in fields and callbacks instead of a method's locals and its stack.
 */
final class FanOutCounting extends SimpleChannelInboundHandler<ByteBuf> {

    /** Lines read ahead while a request counts; past this, the connection stops reading until they are answered. */
    private static final int READ_AHEAD = 1_024;

    private final NettyCounter.Protocol protocol;
    private final NettyCounter.Work work;
    private final ExecutorService pool;
    private final Queue<Request> waiting = new ArrayDeque<>();
    /** The increments of the request that counts now: what a closed channel must cancel. */
    private List<Future<?>> running = List.of();
    private boolean counting;
    private boolean stopped;
    private boolean inputEnded;

    FanOutCounting(NettyCounter.Protocol protocol, NettyCounter.Work work, ExecutorService pool) {
        this.protocol = protocol;
        this.work = work;
        this.pool = pool;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        if (!stopped) {
            waiting.add(protocol.parse(frame));
            answerWaiting(ctx);
        }
    }

    /** Answers the waiting lines in order, up to the first that must count: its answer comes from the join. */
    private void answerWaiting(ChannelHandlerContext ctx) {
        while (!counting && !waiting.isEmpty()) {
            switch (waiting.poll()) {
                case Request.Count count -> fanOut(ctx, count);
                case Request.Stop _ -> {
                    stopped = true;
                    waiting.clear();
                    ctx.writeAndFlush(line(ctx, "BYE")).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                case Request.Rejected rejected -> {
                    ctx.write(error(ctx, rejected));
                    if (!rejected.code().connectionStaysOpen()) { // line-too-long: answered in order, then closed
                        stopped = true;
                        ctx.flush().close();
                        return;
                    }
                }
            }
        }
        ctx.flush();
        if (inputEnded && !counting) {
            ctx.close(); // the client's FIN came, and everything it sent is answered
        }
        readWhileThereIsRoom(ctx);
    }

    private void fanOut(ChannelHandlerContext ctx, Request.Count count) {
        counting = true;
        AtomicLong counter = new AtomicLong(count.start());
        List<Future<?>> tasks = new ArrayList<>(count.increments());
        CompletableFuture<?>[] increments = new CompletableFuture<?>[count.increments()];
        for (int i = 0; i < increments.length; i++) {
            // Not CompletableFuture.runAsync: its cancel(true) does not interrupt a task that runs, so a closed
            // channel could not stop a busy loop. A pool's Future can; the CompletableFuture is only for the join.
            CompletableFuture<Void> increment = new CompletableFuture<>();
            tasks.add(pool.submit(() -> {
                try {
                    work.increment();
                    counter.incrementAndGet();
                    increment.complete(null);
                } catch (Throwable e) {
                    increment.completeExceptionally(e);
                }
            }));
            increments[i] = increment;
        }
        running = tasks;
        CompletableFuture.allOf(increments).whenCompleteAsync((_, failure) -> {
            running = List.of();
            counting = false;
            if (ctx.channel().isActive()) {
                ctx.write(failure == null ? line(ctx, Long.toString(counter.get()))
                        : line(ctx, "ERR internal counting failed: " + failure));
                answerWaiting(ctx);
            }
        }, ctx.executor());
    }

    /** The client is gone (closed, reset, or we closed): the request's increments are cancelled, running or not. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        running.forEach(task -> task.cancel(true));
        waiting.clear();
        ctx.fireChannelInactive();
    }

    /** A client that does not read its answers, or sends far ahead: stop reading until it catches up. */
    private void readWhileThereIsRoom(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable() && waiting.size() < READ_AHEAD);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        readWhileThereIsRoom(ctx);
    }

    /** The client's FIN means "no more requests": what it sent is still answered, then the connection closes. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            inputEnded = true;
            if (!counting && waiting.isEmpty()) {
                ctx.close();
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (NettyCounter.Protocol.isTooLong(cause)) {
            waiting.add(protocol.tooLong()); // after the lines before it, like any other answer
            answerWaiting(ctx);
        } else {
            ctx.close(); // a reset or a broken pipe: the client is gone, and channelInactive cancels its work
        }
    }
}
