package io.memring.server.stats;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;

/**
 * On the listening socket: counts failed accepts (descriptors exhausted) as memcached's
 * {@code listen_disabled_num}. Netty's acceptor then stops accepting for one second, which is added
 * to {@code time_in_listen_disabled_us}.
 */
@ChannelHandler.Sharable
public final class AcceptFailures extends ChannelInboundHandlerAdapter {
    /** How long Netty's {@code ServerBootstrapAcceptor} pauses accepting after a failure. */
    private static final long PAUSE_MICROS = 1_000_000;

    private final ServerStats stats;

    public AcceptFailures(ServerStats stats) {
        this.stats = stats;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException && ctx.channel().config().isAutoRead()) {
            stats.listenDisabled.increment();
            stats.listenDisabledMicros.add(PAUSE_MICROS);
        }
        ctx.fireExceptionCaught(cause);
    }
}
