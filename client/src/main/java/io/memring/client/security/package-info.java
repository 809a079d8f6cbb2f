/**
 * TLS and authentication of connections to nodes. {@link io.memring.client.security.TlsSettings}
 * (trust: CA PEM file, trust store or the JDK default; optional client certificate for mutual TLS;
 * host name verification on by default) and {@link io.memring.client.security.Credentials}
 * (memcached's ASCII authentication, {@code -Y}) are the user's settings;
 * {@link io.memring.client.security.ConnectionSetup} is the one place a new channel is prepared:
 * Netty's {@code SslHandler} on the JDK engine first, then the authentication step, and only then
 * requests. Every connection a client opens (requests, scans, the readiness probe on them, and any
 * other kind) goes through it. Passwords never reach a log line, an exception message or a
 * {@code toString}. Depends on Netty and the client's exception types only; the node uses it for its
 * own outbound peer connections.
 */
package io.memring.client.security;
