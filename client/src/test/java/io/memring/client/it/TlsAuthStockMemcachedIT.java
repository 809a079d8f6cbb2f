package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.memring.client.AuthenticationException;
import io.memring.client.ClientConfig;
import io.memring.client.FailoverPolicy;
import io.memring.client.GetResult;
import io.memring.client.MemcacheClients;
import io.memring.client.TlsException;
import io.memring.client.routing.RingClient;
import io.memring.client.security.Credentials;
import io.memring.client.security.TlsSettings;
import io.memring.testing.RawClient;
import io.memring.testing.StockMemcached;
import io.memring.testing.TestCertificates;
import io.memring.testing.TestCertificates.Identity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Our client against stock memcached 1.6.18 started with {@code -Z} (TLS) and {@code -Y} (ASCII auth),
 * with certificates generated for the test: traffic, scans and the readiness probe go through TLS and
 * authentication; a wrong CA, an expired certificate, a host name the certificate does not name, TLS to
 * a plaintext node and plaintext to a TLS node, wrong or missing credentials each fail with a typed
 * exception that says why, without a storm of attempts and without the password in any message.
 */
class TlsAuthStockMemcachedIT {
    private static final String PASSWORD = "pw-Zq81-never-logged";
    @TempDir
    static Path dir;
    private static TestCertificates certs;
    /** A certificate the test CA signed for no host name or address at all. */
    private static Identity elsewhere;
    private static Path authFile;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.generate(dir.resolve("pki"));
        elsewhere = certs.issue("elsewhere", "CN=memring.invalid", Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)), false);
        authFile = dir.resolve("auth");
        Files.writeString(authFile, "alice:" + PASSWORD + "\nbob:other\n");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static StockMemcached tlsNode(Identity id, String... more) throws Exception {
        String opts = "ssl_chain_cert=" + id.cert() + ",ssl_key=" + id.key() + String.join("", more);
        return StockMemcached.start("-Z", "-o", opts);
    }

    private static ClientConfig.Builder config(String host, int port) {
        return ClientConfig.builder().servers(List.of(new InetSocketAddress(host, port))).failover(FailoverPolicy.FAIL_FAST)
                .connectTimeout(Duration.ofSeconds(3)).reconnect(Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    private static Throwable failure(RingClient client) throws Exception {
        try {
            client.get(b("k")).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the get succeeded");
    }

    @Test
    void tls_withCaFile_carriesRequestsBatchesAndScans() throws Exception {
        try (StockMemcached node = tlsNode(certs.server());
             RingClient client = MemcacheClients.create(config("localhost", node.port)
                     .tls(TlsSettings.builder().caFile(certs.caCert()).build()).build())) {
            client.blocking().set(b("tls:a"), b("one"), 7, 0);
            client.blocking().set(b("tls:b"), b("two"), 0, 0);
            GetResult a = client.blocking().get(b("tls:a"));
            assertThat(new String(a.value(), StandardCharsets.UTF_8)).isEqualTo("one");
            assertThat(a.flags()).isEqualTo(7);
            assertThat(client.getMany(List.of(b("tls:a"), b("tls:b"), b("tls:c"))).get(5, TimeUnit.SECONDS)).hasSize(2);
            assertThat(client.keysWithPrefix(b("tls:")).get(10, TimeUnit.SECONDS)).hasSize(2); // the scan connection
            assertThat(client.nodeStatus().get(0).up()).isTrue();
        }
    }

    /**
     * Regression: the scan connection (the client's second) resumed the first one's TLS 1.3 session, and
     * memcached with ssl_verify_mode 2 failed that handshake with internal_error.
     */
    @Test
    void mutualTls_withClientCertificate_works_onEveryConnection() throws Exception {
        try (StockMemcached node = tlsNode(certs.server(), ",ssl_ca_cert=" + certs.caCert(), ",ssl_verify_mode=2");
             RingClient client = MemcacheClients.create(config("127.0.0.1", node.port).tls(TlsSettings.builder()
                     .caFile(certs.caCert()).clientCertificate(certs.client().cert(), certs.client().key()).build()).build())) {
            client.blocking().set(b("m"), b("v"), 0, 0);
            assertThat(client.blocking().get(b("m")).value()).isEqualTo(b("v"));
            assertThat(client.keysWithPrefix(b("m")).get(10, TimeUnit.SECONDS)).hasSize(1); // a second TLS connection
        }
    }

    @Test
    void mutualTls_withoutClientCertificate_isRefused() throws Exception {
        try (StockMemcached node = tlsNode(certs.server(), ",ssl_ca_cert=" + certs.caCert(), ",ssl_verify_mode=2");
             RingClient client = MemcacheClients.create(config("127.0.0.1", node.port)
                     .tls(TlsSettings.builder().caFile(certs.caCert()).build()).build())) {
            // TLS 1.3: the client's handshake ends before the node checks the client: the refusal arrives as an alert
            assertThat(failure(client)).isInstanceOf(TlsException.class).hasMessageContaining("certificate_required");
        }
    }

    @Test
    void wrongCa_isATlsException_thatSaysWhy() throws Exception {
        try (StockMemcached node = tlsNode(certs.server());
             RingClient client = MemcacheClients.create(config("localhost", node.port)
                     .tls(TlsSettings.builder().caFile(certs.otherCaCert()).build()).build())) {
            Throwable e = failure(client);
            assertThat(e).isInstanceOf(TlsException.class).hasMessageContaining("TLS handshake with")
                    .hasMessageContaining("PKIX");
            assertThat(client.nodeStatus().get(0).up()).isFalse();
        }
    }

    @Test
    void expiredCertificate_isATlsException() throws Exception {
        try (StockMemcached node = tlsNode(certs.expiredServer());
             RingClient client = MemcacheClients.create(config("localhost", node.port)
                     .tls(TlsSettings.builder().caFile(certs.caCert()).build()).build())) {
            assertThat(failure(client)).isInstanceOf(TlsException.class).hasMessageContaining("validity");
        }
    }

    @Test
    void hostNameVerification_refusesACertificateForAnotherHost_unlessTurnedOff() throws Exception {
        try (StockMemcached node = tlsNode(elsewhere)) {
            try (RingClient client = MemcacheClients.create(config("127.0.0.1", node.port)
                    .tls(TlsSettings.builder().caFile(certs.caCert()).build()).build())) {
                assertThat(failure(client)).isInstanceOf(TlsException.class).hasMessageContaining("127.0.0.1");
            }
            try (RingClient client = MemcacheClients.create(config("127.0.0.1", node.port)
                    .tls(TlsSettings.builder().caFile(certs.caCert()).hostnameVerification(false).build()).build())) {
                client.blocking().set(b("h"), b("v"), 0, 0);
                assertThat(client.blocking().get(b("h")).value()).isEqualTo(b("v"));
            }
        }
    }

    @Test
    void tlsHandshake_thatNeverCompletes_isATimeout_notARefusal() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed() && held.size() < 20) {
                    try {
                        held.add(silent.accept()); // accepted, never answered
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-node");
            acceptor.setDaemon(true);
            acceptor.start();
            try (RingClient client = MemcacheClients.create(config("localhost", silent.getLocalPort())
                    .connectTimeout(Duration.ofMillis(300)).tls(TlsSettings.builder().caFile(certs.caCert()).build()).build())) {
                assertThat(failure(client)).isInstanceOf(io.memring.client.RequestTimeoutException.class);
                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(failure(client))
                        .hasMessageContaining("TLS handshake with").hasMessageContaining("not done within 300 ms"));
            } finally {
                silent.close();
                for (java.net.Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void tlsClient_toAPlaintextNode_isATlsException() throws Exception {
        try (StockMemcached node = StockMemcached.start();
             RingClient client = MemcacheClients.create(config("localhost", node.port)
                     .tls(TlsSettings.builder().caFile(certs.caCert()).build()).build())) {
            assertThat(failure(client)).isInstanceOf(TlsException.class).hasMessageContaining("did not answer TLS");
        }
    }

    @Test
    void plaintextClient_toATlsNode_failsCleanly_andTheNodeServesOthers() throws Exception {
        try (StockMemcached node = tlsNode(certs.server());
             RingClient plain = MemcacheClients.create(config("localhost", node.port).build());
             RingClient tls = MemcacheClients.create(config("localhost", node.port)
                     .tls(TlsSettings.builder().caFile(certs.caCert()).build()).build())) {
            Throwable e = failure(plain);
            // the connection closed (or, once marked down, the node unavailable): either way the message says why
            assertThat(e).isInstanceOf(io.memring.client.MemcacheException.class).hasMessageContaining("is TLS on there?");
            tls.blocking().set(b("x"), b("y"), 0, 0);
            assertThat(tls.blocking().get(b("x")).value()).isEqualTo(b("y"));
        }
    }

    @Test
    void auth_rightCredentials_requestsScansAndProbe_work() throws Exception {
        try (StockMemcached node = StockMemcached.start("-Y", authFile.toString());
             RingClient client = MemcacheClients.create(config("127.0.0.1", node.port)
                     .credentials(Credentials.of("alice", PASSWORD)).build())) {
            client.blocking().set(b("auth:1"), b("v1"), 0, 0);
            assertThat(client.blocking().get(b("auth:1")).value()).isEqualTo(b("v1"));
            assertThat(client.keysWithPrefix(b("auth:")).get(10, TimeUnit.SECONDS)).hasSize(1);
            assertThat(client.nodeStatus().get(0).failures()).isZero(); // the probe got through too
        }
    }

    @Test
    void auth_wrongPassword_isAnAuthenticationException_withoutAStorm_orThePasswordAnywhere() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        String wrong = "wrong-" + PASSWORD;
        try (StockMemcached node = StockMemcached.start("-Y", authFile.toString());
             RingClient client = MemcacheClients.create(config("127.0.0.1", node.port)
                     .credentials(Credentials.of("alice", wrong)).build())) {
            Throwable e = failure(client);
            assertThat(e).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("alice").hasMessageContaining("authentication failure");
            for (int i = 0; i < 20; i++) { // requests meanwhile fail fast with the same type
                assertThat(failure(client)).isInstanceOf(AuthenticationException.class);
            }
            Thread.sleep(2500); // a fixed window in which attempts are counted, not a wait for a condition
            long attempts = authErrors(node.port);
            assertThat(attempts).as("auth attempts in 2.5 s with a 1 s longest reconnect delay").isBetween(1L, 4L);
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(PASSWORD);
            }
            assertThat(client.toString()).doesNotContain(PASSWORD);
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list).isNotEmpty();
        for (ILoggingEvent event : logs.list) {
            assertThat(event.getFormattedMessage()).doesNotContain(PASSWORD);
        }
    }

    @Test
    void auth_missingCredentials_isAnAuthenticationException() throws Exception {
        try (StockMemcached node = StockMemcached.start("-Y", authFile.toString());
             RingClient client = MemcacheClients.create(config("127.0.0.1", node.port).build())) {
            assertThat(failure(client)).isInstanceOf(AuthenticationException.class).hasMessageContaining("unauthenticated");
        }
    }

    @Test
    void credentials_forANodeWithoutAuth_areNotSent() throws Exception {
        try (StockMemcached node = StockMemcached.start();
             RingClient client = MemcacheClients.create(config("127.0.0.1", node.port)
                     .credentials(Credentials.of("alice", PASSWORD)).build())) {
            client.blocking().set(b("k"), b("v"), 0, 0);
            assertThat(client.blocking().get(b("auth"))).isNull(); // the auth set was never stored as an item
        }
    }

    @Test
    void tlsAndAuth_together() throws Exception {
        try (StockMemcached node = StockMemcached.start("-Z", "-o", "ssl_chain_cert=" + certs.server().cert() + ",ssl_key="
                + certs.server().key(), "-Y", authFile.toString());
             RingClient client = MemcacheClients.create(config("localhost", node.port)
                     .tls(TlsSettings.builder().caFile(certs.caCert()).build())
                     .credentials(Credentials.of("bob", "other")).build())) {
            client.blocking().set(b("both"), b("v"), 0, 0);
            assertThat(client.blocking().get(b("both")).value()).isEqualTo(b("v"));
            assertThat(client.keysWithPrefix(b("bo")).get(10, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    /** Reads memcached's auth_errors on an authenticated connection of our own. */
    private static long authErrors(int port) throws IOException {
        try (RawClient raw = new RawClient(port)) {
            String data = "alice " + PASSWORD;
            raw.roundTrip("set a 0 0 " + data.length() + "\r\n" + data + "\r\n", "STORED\r\n");
            String stats = raw.roundTrip("stats\r\n", "END\r\n");
            for (String line : stats.split("\r\n")) {
                if (line.startsWith("STAT auth_errors ")) {
                    return Long.parseLong(line.substring("STAT auth_errors ".length()).trim());
                }
            }
            throw new AssertionError("no auth_errors in stats: " + stats);
        }
    }
}
