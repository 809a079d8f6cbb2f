package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.server.security.Security;
import io.memring.server.security.TlsSettings;
import io.memring.testing.RawClient;
import io.memring.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * memcached's {@code refresh_certs}: the node reads its certificate files again; connections already open
 * keep working, new ones get the new certificate; files that cannot be used are reported and the old
 * certificate stays. Without {@code -Z} the command answers as memcached does.
 */
class TlsRefreshIT {
    @TempDir
    Path dir;

    @Test
    void refreshCerts_newConnectionsGetTheNewCertificate_openOnesKeepWorking() throws Exception {
        TestCertificates certs = TestCertificates.generate(dir.resolve("certs"));
        Path cert = dir.resolve("node.pem");
        Path key = dir.resolve("node.key");
        Files.copy(certs.server().cert(), cert);
        Files.copy(certs.server().key(), key);
        // a generous handshake bound: a first handshake, not yet compiled, on a loaded machine takes seconds
        TlsSettings tls = TlsSettings.of(cert, key, certs.caCert()).withHandshakeBounds(30_000, 64);
        SSLContext ctx = certs.clientContext(null, certs.caCert());
        try (MemringServer node = MemringServer.start(ServerConfig.defaults().withPort(0).withSecurity(Security.none().withTls(tls)));
             RawClient open = RawClient.tls(node.port(), ctx)) {
            assertThat(subject(node.port(), ctx)).isEqualTo("CN=memring-node");
            TestCertificates.Identity renewed = certs.issue("renewed", "CN=memring-node-renewed",
                    Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)), true);
            Files.copy(renewed.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewed.key(), key, StandardCopyOption.REPLACE_EXISTING);

            assertThat(open.roundTrip("refresh_certs\r\n", "\r\n")).isEqualTo("OK\r\n");
            assertThat(open.roundTrip("refresh_certs noreply\r\nversion\r\n", "\r\n")).startsWith("VERSION ");
            assertThat(subject(node.port(), ctx)).isEqualTo("CN=memring-node-renewed");
            assertThat(open.roundTrip("stats\r\n", "END\r\n")).containsPattern("STAT time_since_server_cert_refresh [0-9]+\r\n");

            Files.writeString(key, "not a key");
            assertThat(open.roundTrip("refresh_certs\r\n", "\r\n")).startsWith("Error loading the certificates: ").endsWith("\r\n");
            assertThat(subject(node.port(), ctx)).as("the previous certificate stays").isEqualTo("CN=memring-node-renewed");
            assertThat(open.roundTrip("version\r\n", "\r\n")).startsWith("VERSION ");
        }
    }

    @Test
    void refreshCerts_withoutTls_isMemcachedsError() throws Exception {
        try (MemringServer node = MemringServer.start(ServerConfig.defaults().withPort(0));
             RawClient c = new RawClient(node.port())) {
            assertThat(c.roundTrip("refresh_certs\r\n", "\r\n")).isEqualTo("Error TLS not enabled\r\n");
        }
    }

    private static String subject(int port, SSLContext ctx) throws Exception {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }
}
