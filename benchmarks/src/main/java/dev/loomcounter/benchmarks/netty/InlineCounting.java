package dev.loomcounter.benchmarks.netty;

import static dev.loomcounter.benchmarks.netty.NettyCounter.Protocol.error;
import static dev.loomcounter.benchmarks.netty.NettyCounter.Protocol.line;

import dev.loomcounter.protocol.Request;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * One connection, every increment counted right here on its event loop: nothing forked, nothing waited for.
 *
 * <p>The fastest a JVM can serve this protocol, and the reason nobody serves real work this way: while one request
 * counts, every other connection of the same loop waits, and nothing can stop the count (a closed channel is noticed
 * only once the loop is free again, after the count).
 */
final class InlineCounting extends SimpleChannelInboundHandler<ByteBuf> {

    private final NettyCounter.Protocol protocol;
    private final NettyCounter.Work work;
    private boolean stopped;

    InlineCounting(NettyCounter.Protocol protocol, NettyCounter.Work work) {
        this.protocol = protocol;
        this.work = work;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) throws InterruptedException {
        if (stopped) {
            return; // lines after STOP, read in the same batch, are not answered
        }
        switch (protocol.parse(frame)) {
            case Request.Count count -> {
                for (int i = 0; i < count.increments(); i++) {
                    work.increment();
                }
                ctx.write(line(ctx, Long.toString(count.expectedResult())));
            }
            case Request.Stop _ -> {
                stopped = true;
                ctx.writeAndFlush(line(ctx, "BYE")).addListener(ChannelFutureListener.CLOSE);
            }
            case Request.Rejected rejected -> ctx.write(error(ctx, rejected));
        }
    }

    /** Every line of one read is answered by now: their answers leave in one write. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        // A client that does not read its answers: stop reading its lines until the socket drains.
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    }

    /** The client's FIN means "no more requests": all it sent is answered (inline), so the close follows them. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (NettyCounter.Protocol.isTooLong(cause)) {
            ctx.writeAndFlush(error(ctx, protocol.tooLong())).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close(); // a reset or a broken pipe: the client is gone
        }
    }
}
