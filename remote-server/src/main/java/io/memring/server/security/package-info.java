/**
 * TLS and ASCII authentication for the node's listeners, with memcached 1.6's flags and replies:
 * {@link io.memring.server.security.TlsSettings} ({@code -Z}, {@code -o ssl_*}),
 * {@link io.memring.server.security.ServerSslContexts} (the one place a Netty {@code SslContext} is built from
 * PEM files, reused for peer links), {@link io.memring.server.security.TlsGuard} (bounded, counted
 * handshakes), {@link io.memring.server.security.AuthFile} and
 * {@link io.memring.server.security.AsciiAuthHandler} ({@code -Y}), {@link io.memring.server.security.AuthThrottle}
 * (failed attempts per client address), {@link io.memring.server.security.Listener} ({@code -l [notls:]host[:port]})
 * and {@link io.memring.server.security.Exposure} (the WARN a node exposed to the network logs).
 *
 * <p>Nothing here is on the path of a node started without {@code -Z} and {@code -Y}: the handlers are
 * added to a connection's pipeline only when enabled, and the auth handler removes itself once the
 * client has authenticated. Depends only on {@code stats} and Netty.
 */
package io.memring.server.security;
