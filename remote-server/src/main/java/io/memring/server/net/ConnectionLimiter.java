package io.memring.server.net;

import io.memring.server.stats.ServerStats;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Admits at most {@code maxConnections} clients at once. One more is answered as memcached does,
 * {@code ERROR Too many open connections}, and closed; its input is never parsed.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final byte[] TOO_MANY = "ERROR Too many open connections\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final AttributeKey<Boolean> ADMITTED = AttributeKey.valueOf("memring.admitted");

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int maxConnections;
    private final ServerStats stats;
    private final java.util.function.IntSupplier verbosity;

    public ConnectionLimiter(int maxConnections, ServerStats stats, java.util.function.IntSupplier verbosity) {
        this.maxConnections = maxConnections;
        this.stats = stats;
        this.verbosity = verbosity;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (stats.currConnections.incrementAndGet() > maxConnections) {
            stats.currConnections.decrementAndGet();
            stats.rejectedConnections.increment();
            log.warn("Too many open connections ({}): refusing {}", maxConnections, ctx.channel().remoteAddress());
            ctx.channel().attr(ADMITTED).set(Boolean.FALSE);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.channel().attr(ADMITTED).set(Boolean.TRUE);
        stats.totalConnections.increment();
        if (verbosity.getAsInt() > 0) {
            log.info("<{} new client connection from {}", ctx.channel().id(), ctx.channel().remoteAddress());
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (Boolean.TRUE.equals(ctx.channel().attr(ADMITTED).get())) {
            ctx.fireChannelRead(msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (Boolean.TRUE.equals(ctx.channel().attr(ADMITTED).get())) {
            stats.currConnections.decrementAndGet();
            if (verbosity.getAsInt() > 0) {
                log.info("<{} connection closed", ctx.channel().id());
            }
            super.channelInactive(ctx);
        }
    }
}
