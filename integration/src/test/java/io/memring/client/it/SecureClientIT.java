package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.AuthenticationException;
import io.memring.client.ClientConfig;
import io.memring.client.FailoverPolicy;
import io.memring.client.MemcacheClients;
import io.memring.client.TlsException;
import io.memring.client.routing.RingClient;
import io.memring.client.security.Credentials;
import io.memring.client.security.TlsSettings;
import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.server.security.Security;
import io.memring.testing.StockMemcached;
import io.memring.testing.TestCertificates;
import io.memring.testing.TestCertificates.Identity;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our client against our node and against stock memcached 1.6.18, each started with TLS (client
 * certificates required) and {@code -Y}, in the same test: the same calls have the same outcome on
 * both. Traffic, batches and scans go through; a wrong password, missing credentials, a CA the client
 * does not trust, an expired node certificate, TLS to a plaintext node and plaintext to a TLS node each
 * fail with the same typed exception, and the node keeps serving a well-configured client meanwhile.
 */
class SecureClientIT {
    private static final String PASSWORD = "s3cret-Client-pw";
    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private static Path authFile;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.generate(dir.resolve("pki"));
        authFile = dir.resolve("auth");
        Files.writeString(authFile, "alice:" + PASSWORD + "\n");
    }

    /** A node of either kind, with TLS ({@code server} certificate, verify mode 2) unless {@code tls} is false. */
    private interface Node extends AutoCloseable {
        int port();

        @Override
        void close();
    }

    private static Node start(String kind, Identity server, boolean tls, boolean auth) throws Exception {
        if (kind.equals("memring")) {
            Security security = Security.none();
            if (tls) {
                security = security.withTls(io.memring.server.security.TlsSettings.of(server.cert(), server.key(), certs.caCert())
                        .withVerifyMode(io.memring.server.security.TlsSettings.VerifyMode.REQUIRE));
            }
            if (auth) {
                security = security.withAuthFile(authFile);
            }
            MemringServer node = MemringServer.start(ServerConfig.defaults().withPort(0).withWorkerThreads(1).withSecurity(security));
            return new Node() {
                public int port() {
                    return node.port();
                }

                public void close() {
                    node.close();
                }
            };
        }
        List<String> args = new ArrayList<>();
        if (tls) {
            args.addAll(List.of("-Z", "-o", "ssl_chain_cert=" + server.cert() + ",ssl_key=" + server.key() + ",ssl_ca_cert="
                    + certs.caCert() + ",ssl_verify_mode=2"));
        }
        if (auth) {
            args.addAll(List.of("-Y", authFile.toString()));
        }
        StockMemcached node = StockMemcached.start(args.toArray(String[]::new));
        return new Node() {
            public int port() {
                return node.port;
            }

            public void close() {
                node.close();
            }
        };
    }

    private static TlsSettings.Builder trusting(Path ca) {
        return TlsSettings.builder().caFile(ca).clientCertificate(certs.client().cert(), certs.client().key());
    }

    private static RingClient client(int port, TlsSettings tls, Credentials credentials) {
        return MemcacheClients.create(ClientConfig.builder().servers(List.of(new InetSocketAddress("127.0.0.1", port)))
                .failover(FailoverPolicy.FAIL_FAST).connectTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(5))
                .reconnect(Duration.ofMillis(50), Duration.ofSeconds(1)).tls(tls).credentials(credentials).build());
    }

    private static RingClient good(int port) {
        return client(port, trusting(certs.caCert()).build(), Credentials.of("alice", PASSWORD));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Throwable failure(RingClient client) throws Exception {
        try {
            client.get(b("k")).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the get succeeded");
    }

    private static void servesAGoodClient(int port, String key) throws Exception {
        try (RingClient ok = good(port)) {
            ok.blocking().set(b(key), b("v-" + key), 0, 0);
            assertThat(ok.blocking().get(b(key)).value()).isEqualTo(b("v-" + key));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memring", "memcached"})
    void mutualTlsAndAuth_requestsBatchesAndScans(String kind) throws Exception {
        try (Node node = start(kind, certs.server(), true, true); RingClient client = good(node.port())) {
            for (int i = 0; i < 50; i++) {
                client.set(b("sec:" + i), b("value-" + i), i, 0).get(5, TimeUnit.SECONDS);
            }
            assertThat(client.blocking().get(b("sec:7")).flags()).isEqualTo(7);
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                keys.add(b("sec:" + i));
            }
            assertThat(client.getMany(keys).get(5, TimeUnit.SECONDS)).hasSize(50);
            assertThat(client.keysWithPrefix(b("sec:")).get(10, TimeUnit.SECONDS)).hasSize(50);
            assertThat(client.nodeStatus().get(0).failures()).isZero();
        }
    }

    /** The watch connection (mutation stream) goes through the same TLS and authentication as requests. */
    @org.junit.jupiter.api.Test
    void mutationStream_overTlsAndAuth_onOurNode() throws Exception {
        try (Node node = start("memring", certs.server(), true, true); RingClient watcher = good(node.port());
             RingClient writer = good(node.port())) {
            RecordingSink sink = new RecordingSink();
            try (io.memring.client.watch.WatchSubscription sub = watcher.watch(b("w:"), true, sink)) {
                assertThat(sub.mode()).isEqualTo(io.memring.client.watch.WatchMode.PUSH);
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> sink.subscribed.size() == 1);
                writer.blocking().set(b("w:k"), b("v1"), 0, 0);
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sink.mutations.size() == 1);
                assertThat(RecordingSink.text(sink.mutations.get(0).newValue())).isEqualTo("v1");
                assertThat(sink.mutations.get(0).originClientId()).isEqualTo(writer.clientId());
                assertThat(sink.resets).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memring", "memcached"})
    void wrongPassword_andMissingCredentials_areAuthenticationExceptions(String kind) throws Exception {
        try (Node node = start(kind, certs.server(), true, true)) {
            try (RingClient wrong = client(node.port(), trusting(certs.caCert()).build(), Credentials.of("alice", "nope"))) {
                assertThat(failure(wrong)).isInstanceOf(AuthenticationException.class)
                        .hasMessageContaining("refused the credentials of user alice (CLIENT_ERROR authentication failure)");
            }
            try (RingClient none = client(node.port(), trusting(certs.caCert()).build(), null)) {
                assertThat(failure(none)).isInstanceOf(AuthenticationException.class)
                        .hasMessageStartingWith("CLIENT_ERROR unauthenticated");
            }
            servesAGoodClient(node.port(), "after-auth-failures");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memring", "memcached"})
    void untrustedCa_expiredCertificate_andTlsToPlaintext_areTlsExceptions(String kind) throws Exception {
        try (Node node = start(kind, certs.server(), true, true)) {
            try (RingClient untrusting = client(node.port(), trusting(certs.otherCaCert()).build(), Credentials.of("alice", PASSWORD))) {
                assertThat(failure(untrusting)).isInstanceOf(TlsException.class).hasMessageContaining("PKIX");
            }
            servesAGoodClient(node.port(), "after-wrong-ca");
        }
        try (Node expired = start(kind, certs.expiredServer(), true, false);
             RingClient client = client(expired.port(), trusting(certs.caCert()).build(), null)) {
            assertThat(failure(client)).isInstanceOf(TlsException.class).hasMessageContaining("validity");
        }
        try (Node plain = start(kind, certs.server(), false, false);
             RingClient client = client(plain.port(), trusting(certs.caCert()).build(), null)) {
            assertThat(failure(client)).isInstanceOf(TlsException.class).hasMessageContaining("did not answer TLS");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memring", "memcached"})
    void plaintextClient_toATlsNode_failsSayingSo_andTheNodeServesOthers(String kind) throws Exception {
        try (Node node = start(kind, certs.server(), true, true)) {
            try (RingClient plain = client(node.port(), null, Credentials.of("alice", PASSWORD))) {
                assertThat(failure(plain)).hasMessageContaining("TLS");
            }
            try (RingClient plain = client(node.port(), null, null)) {
                assertThat(failure(plain)).hasMessageContaining("TLS");
            }
            servesAGoodClient(node.port(), "after-plaintext");
        }
    }
}
