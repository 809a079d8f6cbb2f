/**
 * TLS and ASCII authentication for the node's listeners, with memcached 1.6's flags and replies.
 *
 * <ul>
 *   <li>{@link io.memring.server.security.TlsSettings} ({@code -Z}, {@code -o ssl_*}) and
 *       {@link io.memring.server.security.PemFiles} (PEM certificates; PKCS#8 and PKCS#1 keys, without BouncyCastle).</li>
 *   <li>{@link io.memring.server.security.ServerSslContexts}: the one place a Netty {@code SslContext} (JDK engine) is
 *       built from those files: {@code forServer} for listeners, {@code forPeerClient} for a node's outbound peer links.</li>
 *   <li>{@link io.memring.server.security.TlsContext}: a listener's context, replaced by {@code refresh_certs} or
 *       SIGHUP for new connections only.</li>
 *   <li>{@link io.memring.server.security.TlsGuard}: handshakes bounded in time and number, failures counted
 *       ({@code ssl_handshake_errors}) and closed quietly.</li>
 *   <li>{@link io.memring.server.security.AuthFile}, {@link io.memring.server.security.AsciiAuthHandler} ({@code -Y})
 *       and {@link io.memring.server.security.AuthThrottle} (failed attempts per client address).</li>
 *   <li>{@link io.memring.server.security.Listener} ({@code -l [notls:]host[:port]}),
 *       {@link io.memring.server.security.Security} (all of the above in {@code ServerConfig}) and
 *       {@link io.memring.server.security.Exposure} (the WARN a node exposed to the network logs).</li>
 * </ul>
 *
 * <p>Pipeline of a connection: {@code track, limit, [tls-guard, tls, tls-errors], [auth], [peer], memcached}.
 * Nothing here is on the path of a node started without {@code -Z} and {@code -Y}: the handlers are added
 * only when enabled, and the auth handler removes itself once the client has authenticated. Depends on
 * Netty and on {@code stats} (counters); {@code stats} reads these settings to print them.
 */
package io.memring.server.security;
