package io.memring.server.security;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A node's TLS settings, memcached's {@code -Z -o ssl_chain_cert=,ssl_key=,ssl_ca_cert=,ssl_verify_mode=,
 * ssl_min_version=}. Immutable and validated; the files are read by {@link ServerSslContexts}.
 *
 * @param chainCert PEM file with the node's certificate first, then any intermediates
 * @param key PEM private key (PKCS#8, or PKCS#1 {@code BEGIN RSA PRIVATE KEY}); null when it is in {@code chainCert}
 * @param caCert PEM file of the CAs whose client certificates are accepted; null for the JDK's default trust
 * @param verifyMode whether and how client certificates are asked for
 * @param minVersion lowest protocol accepted
 * @param handshakeTimeoutMillis a connection that has not completed its handshake by then is closed and counted
 * @param maxPendingHandshakes handshakes in progress at once, node-wide; one more connection is closed at once
 */
public record TlsSettings(Path chainCert, Path key, Path caCert, VerifyMode verifyMode, MinVersion minVersion,
                          long handshakeTimeoutMillis, int maxPendingHandshakes) {

    /** A handshake has this long to complete (a client that opens a TLS connection and sends nothing is closed). */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** Handshakes in progress at once; beyond it new connections are closed before any TLS work. */
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 256;

    public TlsSettings {
        if (chainCert == null) {
            throw new IllegalArgumentException("ssl_chain_cert is required with -Z");
        }
        if (verifyMode == null || minVersion == null) {
            throw new IllegalArgumentException("verify mode and min version must not be null");
        }
        if (handshakeTimeoutMillis <= 0 || maxPendingHandshakes <= 0) {
            throw new IllegalArgumentException("handshake timeout and pending handshakes must be positive");
        }
    }

    /** Settings with the default verify mode (none), TLS 1.2 and the default handshake bounds. */
    public static TlsSettings of(Path chainCert, Path key, Path caCert) {
        return new TlsSettings(chainCert, key, caCert, VerifyMode.NONE, MinVersion.TLS1_2,
                DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, DEFAULT_MAX_PENDING_HANDSHAKES);
    }

    public TlsSettings withVerifyMode(VerifyMode mode) {
        return new TlsSettings(chainCert, key, caCert, mode, minVersion, handshakeTimeoutMillis, maxPendingHandshakes);
    }

    public TlsSettings withMinVersion(MinVersion v) {
        return new TlsSettings(chainCert, key, caCert, verifyMode, v, handshakeTimeoutMillis, maxPendingHandshakes);
    }

    public TlsSettings withHandshakeBounds(long timeoutMillis, int maxPending) {
        return new TlsSettings(chainCert, key, caCert, verifyMode, minVersion, timeoutMillis, maxPending);
    }

    /** Returns whether a client must present a certificate the CA signed (modes 2 and 3). */
    public boolean requiresClientCertificate() {
        return verifyMode == VerifyMode.REQUIRE || verifyMode == VerifyMode.ONCE;
    }

    /**
     * memcached's {@code ssl_verify_mode}: 0 none, 1 request (verified if sent), 2 require, 3 once (require,
     * and do not ask again on renegotiation: the JDK engine never renegotiates, so 3 behaves as 2).
     */
    public enum VerifyMode {
        NONE(0), REQUEST(1), REQUIRE(3), ONCE(7);

        private final int opensslFlags;

        VerifyMode(int opensslFlags) {
            this.opensslFlags = opensslFlags;
        }

        /** Returns OpenSSL's {@code SSL_VERIFY_*} bits, which memcached prints in {@code stats settings}. */
        public int opensslFlags() {
            return opensslFlags;
        }

        /** Parses memcached's 0..3. */
        public static VerifyMode parse(String value) {
            return switch (value == null ? "" : value.trim()) {
                case "0" -> NONE;
                case "1" -> REQUEST;
                case "2" -> REQUIRE;
                case "3" -> ONCE;
                default -> throw new IllegalArgumentException("Invalid ssl_verify_mode. Valid values are 0 (none), 1 (request),"
                        + " 2 (require), 3 (once): " + value);
            };
        }
    }

    /** memcached's {@code ssl_min_version}: the JDK disables TLS 1.0 and 1.1, so only 1.2 and 1.3 are offered. */
    public enum MinVersion {
        TLS1_2("tlsv1.2", List.of("TLSv1.3", "TLSv1.2")), TLS1_3("tlsv1.3", List.of("TLSv1.3"));

        private final String memcachedName;
        private final List<String> protocols;

        MinVersion(String memcachedName, List<String> protocols) {
            this.memcachedName = memcachedName;
            this.protocols = protocols;
        }

        /** Returns memcached's spelling, as {@code stats settings} prints it. */
        public String memcachedName() {
            return memcachedName;
        }

        /** Returns the JDK protocol names enabled. */
        public List<String> protocols() {
            return protocols;
        }

        /** Parses memcached's numbers (2, 3) or names (tlsv1.2, tlsv1.3); 0/1 (TLS 1.0/1.1) are refused. */
        public static MinVersion parse(String value) {
            String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "2", "tlsv1.2" -> TLS1_2;
                case "3", "tlsv1.3" -> TLS1_3;
                case "0", "1", "tlsv1", "tlsv1.0", "tlsv1.1" -> throw new IllegalArgumentException(
                        "ssl_min_version " + value + ": TLS 1.0 and 1.1 are disabled in this node (use 2/tlsv1.2 or 3/tlsv1.3)");
                default -> throw new IllegalArgumentException("Invalid ssl_min_version. Valid values are 2 (tlsv1.2), 3 (tlsv1.3): " + value);
            };
        }
    }
}
