package io.memring.client.security;

import io.memring.client.AuthenticationException;
import io.memring.client.ConnectionClosedException;
import io.memring.client.ProtocolException;
import io.memring.client.RequestTimeoutException;
import io.memring.client.TlsException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's setup steps, in order, before any request: wait for the TLS handshake (when TLS is
 * on), then, with credentials, ask {@code version}: a node that answers {@code VERSION} requires no
 * authentication and the password is not sent (memcached without {@code -Y} would store it as an
 * ordinary item); {@code CLIENT_ERROR unauthenticated} is answered with memcached's ASCII
 * authentication, a {@code set} whose data is {@code user password}, which must be {@code STORED}.
 * Then the handler leaves the pipeline and {@link #ready()} succeeds. Any other outcome fails it with
 * a typed exception and closes the channel. Replies are read as lines of at most {@value #MAX_LINE}
 * bytes; the server's text in a message is cut to 64 characters.
 */
final class SetupHandler extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(SetupHandler.class);
    /** Said when a plaintext connection is closed or reset before it is set up: the commonest cause. */
    private static final String PLAINTEXT_HINT = " (a node that requires TLS closes plaintext connections: is TLS on there?)";
    static final int MAX_LINE = 512;
    /**
     * The question asked before authenticating: {@code version} rather than {@code mn}, because a TLS node
     * reading plaintext waits for a 5-byte record header: 4 bytes would hang until the timeout, 9 are
     * refused at once.
     */
    private static final byte[] ASK = "version\r\n".getBytes(StandardCharsets.US_ASCII);

    private enum Step { TRANSPORT, ASKED, AUTH_SENT, DONE }

    private final InetSocketAddress address;
    private final boolean tls;
    private final Credentials credentials;
    private final long timeoutMillis;
    private final Promise<Void> ready;
    private final AtomicBoolean warnedNoAuth;
    private Step step = Step.TRANSPORT;
    private ScheduledFuture<?> timeout;

    SetupHandler(InetSocketAddress address, boolean tls, Credentials credentials, long timeoutMillis, Promise<Void> ready,
            AtomicBoolean warnedNoAuth) {
        this.address = address;
        this.tls = tls;
        this.credentials = credentials;
        this.timeoutMillis = timeoutMillis;
        this.ready = ready;
        this.warnedNoAuth = warnedNoAuth;
    }

    Promise<Void> ready() {
        return ready;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!tls) {
            transportReady(ctx);
        }
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent e && step == Step.TRANSPORT) {
            if (e.isSuccess()) {
                transportReady(ctx);
            } else if (e.cause() instanceof SslHandshakeTimeoutException) { // slow, not refused: the usual backoff
                fail(ctx, new RequestTimeoutException("TLS handshake with " + address + " not done within " + timeoutMillis
                        + " ms (the connect timeout)", e.cause()));
            } else {
                fail(ctx, tlsFailure(e.cause()));
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    private void transportReady(ChannelHandlerContext ctx) {
        if (credentials == null) {
            done(ctx);
            return;
        }
        step = Step.ASKED;
        timeout = ctx.executor().schedule(() -> fail(ctx, new RequestTimeoutException(address
                + ": no reply to the connection's authentication within " + timeoutMillis + " ms")), timeoutMillis,
                TimeUnit.MILLISECONDS);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(ASK));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (step == Step.DONE || ready.isDone()) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!tls && in.isReadable() && looksLikeTls(in)) {
            fail(ctx, new TlsException(address + " answered with TLS: enable TLS in this client (memring.tls.enabled)"));
            return;
        }
        int eol = in.indexOf(in.readerIndex(), in.readerIndex() + Math.min(in.readableBytes(), MAX_LINE), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() >= MAX_LINE) {
                fail(ctx, new ProtocolException(address + ": setup reply line longer than " + MAX_LINE + " bytes"));
            }
            return;
        }
        String line = in.readCharSequence(eol + 1 - in.readerIndex(), StandardCharsets.ISO_8859_1).toString().strip();
        if (step == Step.ASKED) {
            if (line.startsWith("VERSION ")) {
                if (warnedNoAuth.compareAndSet(false, true)) {
                    log.warn("node {} does not require authentication: the credentials of user {} were not sent", address,
                            credentials.user());
                }
                done(ctx);
            } else if (line.equals("CLIENT_ERROR unauthenticated")) {
                sendCredentials(ctx);
            } else {
                fail(ctx, new ProtocolException(address + ": unexpected reply to version during connection setup: " + abbreviate(line)));
            }
        } else if (step == Step.AUTH_SENT) {
            if (line.equals("STORED")) {
                done(ctx);
            } else if (line.startsWith("CLIENT_ERROR") || line.startsWith("SERVER_ERROR") || line.startsWith("ERROR")) {
                fail(ctx, new AuthenticationException(address + " refused the credentials of user " + credentials.user()
                        + " (" + abbreviate(line) + ")"));
            } else {
                fail(ctx, new ProtocolException(address + ": unexpected reply to authentication: " + abbreviate(line)));
            }
        }
    }

    private void sendCredentials(ChannelHandlerContext ctx) {
        step = Step.AUTH_SENT;
        byte[] data = credentials.authData();
        ByteBuf buf = ctx.alloc().buffer(32 + data.length);
        buf.writeCharSequence("set auth 0 0 " + data.length + "\r\n", StandardCharsets.US_ASCII);
        buf.writeBytes(data);
        buf.writeByte('\r').writeByte('\n');
        java.util.Arrays.fill(data, (byte) 0);
        ctx.writeAndFlush(buf);
    }

    private void done(ChannelHandlerContext ctx) {
        step = Step.DONE;
        cancelTimeout();
        if (ready.trySuccess(null)) {
            ctx.pipeline().remove(this); // anything read after the reply goes on to the reply decoder
        }
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        cancelTimeout();
        if (ready.tryFailure(cause)) {
            log.debug("connection setup with {} failed: {}", address, cause.getMessage());
        }
        ctx.close();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimeout();
        ready.tryFailure(new ConnectionClosedException("connection to " + address + " closed during "
                + (step == Step.TRANSPORT && tls ? "the TLS handshake" : credentials != null ? "authentication" : "setup")
                + (tls ? "" : PLAINTEXT_HINT)));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ready.isDone()) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        fail(ctx, tls && step == Step.TRANSPORT ? tlsFailure(root)
                : root instanceof ProtocolException ? root
                : new ConnectionClosedException(address + ": " + root + " during setup" + (tls ? "" : PLAINTEXT_HINT), root));
    }

    private TlsException tlsFailure(Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof NotSslRecordException) {
            return new TlsException("TLS handshake with " + address + " failed: the node did not answer TLS (is it running"
                    + " without TLS, memcached's -Z?)", root);
        }
        StringBuilder why = new StringBuilder();
        for (Throwable t = root; t != null && why.length() < 400; t = t.getCause()) {
            if (t.getMessage() != null && why.indexOf(t.getMessage()) < 0) {
                why.append(why.length() == 0 ? "" : ": ").append(t.getMessage());
            }
        }
        return new TlsException("TLS handshake with " + address + " failed: " + (why.length() == 0 ? root.toString() : why), root);
    }

    /** A TLS record's first bytes: content type 20-23 (handshake, alert, ...) then major version 3. */
    private static boolean looksLikeTls(ByteBuf in) {
        int type = in.getUnsignedByte(in.readerIndex());
        return type >= 20 && type <= 23 && (in.readableBytes() < 2 || in.getByte(in.readerIndex() + 1) == 3);
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
