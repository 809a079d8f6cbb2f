package io.memring.server.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Builds Netty {@link SslContext}s (JDK engine) from a node's {@link TlsSettings}: the one place the PEM files
 * are read, so client connections and peer links use the same certificates and trust.
 *
 * <ul>
 *   <li>{@link #forServer}: what a listener presents; asks for client certificates per {@code ssl_verify_mode}
 *       and trusts {@code ssl_ca_cert} (the JDK's default CAs when unset).</li>
 *   <li>{@link #forPeerClient}: for a node's outbound peer link: presents the node's own certificate (so a peer
 *       with verify mode 2 accepts it) and trusts {@code ssl_ca_cert}, checking the peer's host name.</li>
 * </ul>
 * Failures are {@link GeneralSecurityException}/{@link IOException} naming the file at fault.
 */
public final class ServerSslContexts {
    private ServerSslContexts() {
    }

    /** Returns a server context for {@code tls}. */
    public static SslContext forServer(TlsSettings tls) throws IOException, GeneralSecurityException {
        Identity id = identity(tls);
        SslContextBuilder b = SslContextBuilder.forServer(id.key, id.chain)
                .sslProvider(SslProvider.JDK)
                .protocols(tls.minVersion().protocols())
                .clientAuth(switch (tls.verifyMode()) {
                    case NONE -> ClientAuth.NONE;
                    case REQUEST -> ClientAuth.OPTIONAL;
                    case REQUIRE, ONCE -> ClientAuth.REQUIRE;
                });
        if (tls.caCert() != null) {
            b.trustManager(PemFiles.certificates(tls.caCert()));
        }
        return build(b);
    }

    /** Returns a client context for a node's outbound peer links: the node's own certificate, trusting {@code ssl_ca_cert}. */
    public static SslContext forPeerClient(TlsSettings tls) throws IOException, GeneralSecurityException {
        Identity id = identity(tls);
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(tls.minVersion().protocols())
                .keyManager(id.key, id.chain)
                .endpointIdentificationAlgorithm("HTTPS");
        if (tls.caCert() != null) {
            b.trustManager(PemFiles.certificates(tls.caCert()));
        }
        return build(b);
    }

    private static SslContext build(SslContextBuilder b) throws GeneralSecurityException {
        try {
            return b.build();
        } catch (javax.net.ssl.SSLException e) {
            throw new GeneralSecurityException("cannot build a TLS context: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) { // Netty: a key that does not match the certificate
            throw new GeneralSecurityException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    private record Identity(PrivateKey key, X509Certificate[] chain) {
    }

    private static Identity identity(TlsSettings tls) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = PemFiles.certificates(tls.chainCert());
        PrivateKey key = PemFiles.privateKey(tls.key() != null ? tls.key() : tls.chainCert());
        checkPair(key, chain.get(0), tls);
        return new Identity(key, chain.toArray(X509Certificate[]::new));
    }

    /** Refuses a key that does not belong to the certificate at startup (OpenSSL's SSL_CTX_check_private_key), not at every handshake. */
    private static void checkPair(PrivateKey key, X509Certificate cert, TlsSettings tls) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519" -> "Ed25519";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            return; // RSASSA-PSS and the like: the first handshake will tell
        }
        byte[] probe = "memring key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.security.Signature signer = java.security.Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
        try {
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException mismatch) {
            // a key of another type than the certificate's: reported below
        }
        throw new GeneralSecurityException("ssl_key " + (tls.key() != null ? tls.key() : tls.chainCert())
                + " does not match the certificate in ssl_chain_cert " + tls.chainCert());
    }
}
