package io.memring.server.security;

import io.memring.server.stats.ServerStats;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right before a connection's {@link SslHandler} (so that refusing a connection closes the socket
 * without going through the TLS close, which would wait for a handshake): admits the connection only while fewer than
 * {@code maxPendingHandshakes} handshakes are in progress node-wide (a flood of handshakes costs CPU; one
 * more connection is closed before the server does any TLS work), counts every handshake that did not
 * complete ({@code ssl_handshake_errors}: bad or missing client certificate, plaintext on a TLS port,
 * timeout, refusal). {@link Quiet}, right after the {@link SslHandler}, turns TLS failures into a quiet close
 * (DEBUG log) instead of an error reaching the protocol handler. One instance per connection.
 */
public final class TlsGuard extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TlsGuard.class);

    /** Node-wide state shared by every connection's guard. */
    public static final class Limits {
        private final Semaphore pending;
        private final ServerStats stats;

        public Limits(int maxPendingHandshakes, ServerStats stats) {
            this.pending = new Semaphore(maxPendingHandshakes);
            this.stats = stats;
        }
    }

    private final Limits limits;
    private final SslHandler ssl;

    public TlsGuard(Limits limits, SslHandler ssl) {
        this.limits = limits;
        this.ssl = ssl;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!limits.pending.tryAcquire()) {
            limits.stats.sslHandshakeErrors.increment();
            limits.stats.sslHandshakesRefused.increment();
            log.debug("{}: too many TLS handshakes in progress, closing", ctx.channel());
            ctx.close();
            return;
        }
        ssl.handshakeFuture().addListener(f -> {
            limits.pending.release();
            if (!f.isSuccess()) {
                limits.stats.sslHandshakeErrors.increment();
                if (f.cause() instanceof SslHandshakeTimeoutException) {
                    limits.stats.sslHandshakeTimeouts.increment();
                }
                log.debug("{}: TLS handshake failed: {}", ctx.channel(), f.cause() == null ? "closed" : f.cause().toString());
            }
        });
        super.channelActive(ctx);
    }

    /** After the {@link SslHandler}: TLS errors close the connection quietly; others go on. Stateless, shared. */
    @io.netty.channel.ChannelHandler.Sharable
    public static final class Quiet extends ChannelInboundHandlerAdapter {
        public static final Quiet INSTANCE = new Quiet();

        private Quiet() {
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (root instanceof SSLException || root instanceof NotSslRecordException) {
                log.debug("{}: closing after a TLS error: {}", ctx.channel(), root.toString());
                ctx.close();
                return;
            }
            ctx.fireExceptionCaught(cause);
        }
    }
}
