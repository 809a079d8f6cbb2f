package io.memring.client.security;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.Enumeration;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every connection to a node does before its first request: the TLS handshake (when TLS is on)
 * and memcached's ASCII authentication (when credentials are set). The one place connection setup is
 * decided: request, scan and probe connections (and any other connection kind) call
 * {@link #initChannel} when their channel is created and wait for {@link #ready} before sending.
 * Immutable and shared by all connections of a client.
 */
public final class ConnectionSetup {
    /** Name of the TLS handler in a connection's pipeline. */
    public static final String TLS_HANDLER = "memring-tls";
    /** Name of the authentication step in a connection's pipeline (removed once authenticated). */
    public static final String AUTH_HANDLER = "memring-auth";
    private static final AttributeKey<Future<Void>> READY = AttributeKey.valueOf("memring.connection.ready");

    private final SslContext tls;
    private final Credentials credentials;
    private final long timeoutMillis;
    private final AtomicBoolean warnedNoAuth = new AtomicBoolean();

    private ConnectionSetup(SslContext tls, Credentials credentials, Duration timeout) {
        this.tls = tls;
        this.credentials = credentials;
        this.timeoutMillis = timeout.toMillis();
    }

    /** Plain TCP, no authentication. */
    public static ConnectionSetup plain() {
        return new ConnectionSetup(null, null, Duration.ofSeconds(1));
    }

    /**
     * @param tls TLS settings, or null for plain TCP
     * @param credentials who to authenticate as, or null for no authentication
     * @param timeout how long the TLS handshake, and separately the authentication exchange, may take
     */
    public static ConnectionSetup of(TlsSettings tls, Credentials credentials, Duration timeout) {
        return new ConnectionSetup(tls == null ? null : ClientTls.context(tls), credentials, timeout);
    }

    /** The same, from an already built Netty client context (a node's peer links build theirs from its -o ssl_* options). */
    public static ConnectionSetup of(SslContext tls, Credentials credentials, Duration timeout) {
        return new ConnectionSetup(tls, credentials, timeout);
    }

    public boolean tls() {
        return tls != null;
    }

    /** Returns the Netty TLS context, or null without TLS. */
    public SslContext sslContext() {
        return tls;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** Adds the TLS handler and the authentication step at the head of a new channel's pipeline. */
    public void initChannel(Channel ch, InetSocketAddress address) {
        if (tls != null) {
            forgetSessions();
            // host name and port: for SNI and for host name verification against the node's certificate
            SslHandler handler = tls.newHandler(ch.alloc(), address.getHostString(), address.getPort());
            handler.setHandshakeTimeoutMillis(timeoutMillis);
            ch.pipeline().addFirst(TLS_HANDLER, handler);
        }
        if (tls == null && credentials == null) {
            ch.attr(READY).set(ch.eventLoop().newSucceededFuture(null));
            return;
        }
        SetupHandler setup = new SetupHandler(address, tls != null, credentials, timeoutMillis, ch.eventLoop().newPromise(),
                warnedNoAuth);
        ch.attr(READY).set(setup.ready());
        if (tls != null) {
            ch.pipeline().addAfter(TLS_HANDLER, AUTH_HANDLER, setup);
        } else {
            ch.pipeline().addFirst(AUTH_HANDLER, setup);
        }
    }

    /**
     * Every connection makes a full handshake: resuming a TLS 1.3 session makes stock memcached 1.6
     * (OpenSSL, {@code ssl_verify_mode} 1 or more) fail the handshake with {@code internal_error}, as it
     * sets no session id context. A full handshake costs one more round trip, on connect only.
     */
    private void forgetSessions() {
        SSLSessionContext sessions = tls.sessionContext();
        if (sessions == null) {
            return;
        }
        for (Enumeration<byte[]> ids = sessions.getIds(); ids.hasMoreElements(); ) {
            SSLSession cached = sessions.getSession(ids.nextElement());
            if (cached != null) {
                cached.invalidate();
            }
        }
    }

    /**
     * Returns a future completed when the channel may carry requests: handshake done and authenticated.
     * It fails with {@link io.memring.client.TlsException}, {@link io.memring.client.AuthenticationException},
     * {@link io.memring.client.RequestTimeoutException} or {@link io.memring.client.ConnectionClosedException}.
     */
    public Future<Void> ready(Channel ch) {
        Future<Void> f = ch.attr(READY).get();
        if (f == null) {
            throw new IllegalStateException("channel was not set up by this ConnectionSetup");
        }
        return f;
    }

    @Override
    public String toString() {
        return "ConnectionSetup[tls=" + (tls != null) + ", auth=" + (credentials == null ? "none" : credentials) + "]";
    }
}
