package io.memring.server.security;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A listener's server context, replaceable while the node runs: {@link #refresh()} reads the files again
 * (memcached's {@code refresh_certs}); connections already open keep the context they started with, new
 * ones get the new one. A refresh that fails keeps the old context. Thread-safe.
 */
public final class TlsContext {
    private final TlsSettings settings;
    private final LongSupplier nanoTime;
    private volatile SslContext current;
    private volatile long refreshedAtNanos;

    private TlsContext(TlsSettings settings, LongSupplier nanoTime) throws IOException, GeneralSecurityException {
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.current = ServerSslContexts.forServer(settings);
        this.refreshedAtNanos = nanoTime.getAsLong();
    }

    /** Reads the files; fails (naming the file) when they cannot be used. */
    public static TlsContext load(TlsSettings settings) throws IOException, GeneralSecurityException {
        return new TlsContext(settings, System::nanoTime);
    }

    public TlsSettings settings() {
        return settings;
    }

    /** Reads the certificate, key and CA files again; on failure the previous context stays in use. */
    public synchronized void refresh() throws IOException, GeneralSecurityException {
        SslContext next = ServerSslContexts.forServer(settings);
        current = next;
        refreshedAtNanos = nanoTime.getAsLong();
    }

    /** Returns whole seconds since the certificates were last (re)loaded: memcached's {@code time_since_server_cert_refresh}. */
    public long secondsSinceRefresh() {
        return TimeUnit.NANOSECONDS.toSeconds(nanoTime.getAsLong() - refreshedAtNanos);
    }

    /** Returns a handler for one new connection, with the handshake bounded by the settings' timeout. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler h = current.newHandler(alloc);
        h.setHandshakeTimeoutMillis(settings.handshakeTimeoutMillis());
        return h;
    }
}
