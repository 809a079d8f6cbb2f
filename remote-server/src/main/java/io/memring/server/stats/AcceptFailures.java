package io.memring.server.stats;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the listening socket: a failed accept (typically descriptors exhausted, {@code EMFILE}) stops
 * accepting for one second, as memcached stops listening until a connection closes, and is counted as
 * its {@code listen_disabled_num} / {@code time_in_listen_disabled_us}. Netty's own acceptor would
 * pause the same way but then log the error with a stack trace at every failure; this handler takes
 * its place for I/O errors and logs one line.
 */
@ChannelHandler.Sharable
public final class AcceptFailures extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AcceptFailures.class);
    private static final long PAUSE_MILLIS = 1000;

    private final ServerStats stats;

    public AcceptFailures(ServerStats stats) {
        this.stats = stats;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        Channel listener = ctx.channel();
        if (!listener.config().isAutoRead()) {
            return; // already paused
        }
        stats.listenDisabled.increment();
        stats.listenDisabledMicros.add(TimeUnit.MILLISECONDS.toMicros(PAUSE_MILLIS));
        log.warn("accept failed ({}): not accepting connections for {} ms", cause.getMessage(), PAUSE_MILLIS);
        listener.config().setAutoRead(false);
        listener.eventLoop().schedule(() -> listener.config().setAutoRead(true), PAUSE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
