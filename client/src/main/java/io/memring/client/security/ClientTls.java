package io.memring.client.security;

import io.memring.client.TlsException;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the client side of TLS from {@link TlsSettings}: a Netty {@link SslContext} on the JDK's
 * engine (no native library), TLS 1.2 and 1.3 only. The same context also gives a plain JDK
 * {@link SSLContext} for blocking sockets (a node's peer probes and pulls).
 */
public final class ClientTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private ClientTls() {
    }

    /** Returns the context for {@code settings}; a file that cannot be read or parsed is a {@link TlsException}. */
    public static SslContext context(TlsSettings settings) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    // Netty 4.2 verifies host names by default; say it explicitly, and allow turning it off.
                    .endpointIdentificationAlgorithm(settings.hostnameVerification() ? "HTTPS" : null);
            if (settings.caFile() != null) {
                b.trustManager(settings.caFile().toFile());
            } else if (settings.trustStore() != null) {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(settings.trustStore(), settings.trustStoreType(), settings.trustStorePassword()));
                b.trustManager(tmf);
            }
            if (settings.certFile() != null) {
                b.keyManager(settings.certFile().toFile(), settings.keyFile().toFile(), settings.keyPassword());
            } else if (settings.keyStore() != null) {
                String password = settings.keyStorePassword();
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(settings.keyStore(), settings.keyStoreType(), password),
                        password == null ? new char[0] : password.toCharArray());
                b.keyManager(kmf);
            }
            return b.build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new TlsException("cannot load the TLS settings " + settings + ": " + e.getMessage(), e);
        }
    }

    /** Returns the JDK context behind a context built by {@link #context}. */
    public static SSLContext jdkContext(SslContext context) {
        if (context instanceof JdkSslContext jdk) {
            return jdk.context();
        }
        throw new IllegalArgumentException("not a JDK TLS context: " + context.getClass().getName());
    }

    private static KeyStore load(Path file, String type, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password == null ? null : password.toCharArray());
        }
        return ks;
    }
}
