package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ClientConfig;
import io.memring.client.GetResult;
import io.memring.client.MemcacheClients;
import io.memring.client.routing.RingClient;
import io.memring.client.security.Credentials;
import io.memring.client.security.TlsSettings;
import io.memring.integration.Cluster;
import io.memring.server.cluster.Membership;
import io.memring.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replicated cluster whose nodes run with TLS ({@code -Z}, client certificates required) and ASCII
 * authentication ({@code -Y}): peer links, liveness probes and catch-up pulls go through both, writes
 * reach their replicas, a killed node's keys are read from the replicas, and the restarted node catches
 * up over an authenticated TLS pull. A hello from a connection that did not authenticate is refused.
 */
class SecurePeerLinksIT {
    private static final int KEYS = 200;
    private static final String PASSWORD = "peer-Secret-77";
    @TempDir
    Path dir;
    private TestCertificates certs;
    private Path authFile;
    private Cluster cluster;
    private RingClient client;

    @BeforeEach
    void certificates() throws Exception {
        certs = TestCertificates.generate(dir.resolve("pki"));
        authFile = dir.resolve("auth");
        Files.writeString(authFile, "node:" + PASSWORD + "\napp:app-pw\n");
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.stop();
        }
    }

    private String tlsOptions(int verifyMode) {
        return "ssl_chain_cert=" + certs.server().cert() + ",ssl_key=" + certs.server().key() + ",ssl_ca_cert="
                + certs.caCert() + ",ssl_verify_mode=" + verifyMode;
    }

    private static byte[] key(int i) {
        return ("sk" + i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void tlsAndAuthOnPeerLinks_replicate_surviveAKill_andCatchUp() throws Exception {
        cluster = Cluster.memringReplicated(3, "2", "-Z", "-o", tlsOptions(2), "-Y", authFile.toString());
        for (InetSocketAddress a : cluster.servers()) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(stat(a.getPort(), "repl_state")));
        }
        for (InetSocketAddress a : cluster.servers()) { // every node's two outbound links are up, through TLS and auth
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "2".equals(stat(a.getPort(), "repl_inbound_links")));
        }
        client = MemcacheClients.create(ClientConfig.builder().servers(cluster.servers())
                .tls(TlsSettings.builder().caFile(certs.caCert())
                        .clientCertificate(certs.client().cert(), certs.client().key()).build())
                .credentials(Credentials.of("app", "app-pw"))
                .requestTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(10)) // first handshakes on a busy machine
                .failureThreshold(1).reconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                .quarantine(Duration.ofMillis(500)).build());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> client.nodeStatus().stream()
                .allMatch(n -> n.up() && n.connected()));
        for (int i = 0; i < KEYS; i++) {
            client.set(key(i), ("v" + i).getBytes(StandardCharsets.UTF_8), 0, 0).get(5, TimeUnit.SECONDS);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(this::replicationQuiet);
        long applied = 0;
        for (InetSocketAddress a : cluster.servers()) {
            applied += Long.parseLong(stat(a.getPort(), "repl_applied"));
        }
        assertThat(applied).as("every write reached its replica over the secured links").isEqualTo(KEYS);

        cluster.kill(1);
        for (int i = 0; i < KEYS; i++) { // the killed node's keys are read from their next owner, the replica
            GetResult g = client.get(key(i)).get(5, TimeUnit.SECONDS);
            assertThat(g).as("key %d after the kill", i).isNotNull();
            assertThat(new String(g.value(), StandardCharsets.UTF_8)).isEqualTo("v" + i);
        }

        cluster.restart(1);
        int restarted = cluster.address(1).getPort();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(stat(restarted, "repl_state")));
        assertThat(stat(restarted, "repl_state_note")).as("it pulled its ranges over TLS with authentication")
                .startsWith("pulled_");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.nodeStatus().get(1).up());
        for (int i = 0; i < KEYS; i++) {
            assertThat(client.get(key(i)).get(5, TimeUnit.SECONDS).value()).isEqualTo(("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        assertThat(stat(cluster.address(0).getPort(), "repl_refused_handshakes")).isEqualTo("0");
    }

    @Test
    void helloWithoutAuthentication_isRefused_whilePeersWithCertificatesLink() throws Exception {
        // verify mode 1: the node asks for a certificate but lets a client without one in: the hello must not
        cluster = Cluster.memringReplicated(2, "2", "-Z", "-o", tlsOptions(1));
        int port = cluster.address(0).getPort();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(stat(port, "repl_inbound_links")));
        String hello = hello(port);
        SSLContext noCertificate = certs.clientContext(null, certs.caCert());
        try (Socket s = tls(noCertificate, port)) {
            assertThat(exchange(s, hello)).isEqualTo("SERVER_ERROR peer handshake refused");
        }
        assertThat(stat(port, "repl_refused_handshakes")).isEqualTo("1");
        assertThat(stat(port, "repl_inbound_links")).isEqualTo("1");
        // the same hello with a certificate the CA signed is a peer link: it was the missing authentication
        try (Socket s = tls(certs.clientContext(certs.client(), certs.caCert()), port)) {
            assertThat(exchange(s, hello)).startsWith("mr_peer_ok ");
        }
    }

    @Test
    void helloBeforeAuthentication_onAnAuthNode_isUnauthenticated() throws Exception {
        cluster = Cluster.memringReplicated(2, "2", "-Z", "-o", tlsOptions(0), "-Y", authFile.toString());
        int port = cluster.address(0).getPort();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(stat(port, "repl_inbound_links")));
        String hello = hello(port);
        try (Socket s = tls(certs.clientContext(null, certs.caCert()), port)) {
            assertThat(exchange(s, hello)).isEqualTo("CLIENT_ERROR unauthenticated");
        }
        assertThat(stat(port, "repl_inbound_links")).isEqualTo("1");
    }

    /** A well-formed hello from member 1 to the node on {@code port}: only authentication is missing. */
    private String hello(int port) {
        return "mr_peer_hello " + Membership.of(cluster.serverSpec(), 2, "127.0.0.1", port).fingerprint() + " 1\r\n";
    }

    private boolean replicationQuiet() {
        long sent = 0;
        long applied = 0;
        for (InetSocketAddress a : cluster.servers()) {
            if (!"0".equals(stat(a.getPort(), "repl_queue_bytes"))) {
                return false;
            }
            sent += Long.parseLong(stat(a.getPort(), "repl_sent"));
            applied += Long.parseLong(stat(a.getPort(), "repl_applied"));
        }
        return sent == applied;
    }

    private Socket tls(SSLContext ctx, int port) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(5000);
        s.startHandshake();
        return s;
    }

    /** Sends {@code request} and returns the first reply line. */
    private static String exchange(Socket s, String request) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4096; i++) {
            int b = in.read();
            if (b < 0 || b == '\n') {
                break;
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    /** One {@code stats} value, read over TLS with a client certificate, authenticated when the node uses -Y. */
    private String stat(int port, String name) {
        try (Socket s = tls(certs.clientContext(certs.client(), certs.caCert()), port)) {
            String first = exchange(s, "mn\r\n");
            if (first.equals("CLIENT_ERROR unauthenticated")) {
                String data = "app app-pw";
                assertThat(exchange(s, "set a 0 0 " + data.length() + "\r\n" + data + "\r\n")).isEqualTo("STORED");
            }
            OutputStream out = s.getOutputStream();
            out.write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 500; i++) {
                String line = exchange(s, "");
                if (line.equals("END") || line.isEmpty()) {
                    return null;
                }
                if (line.startsWith("STAT " + name + " ")) {
                    return line.substring(("STAT " + name + " ").length());
                }
            }
            return null;
        } catch (IOException | java.security.GeneralSecurityException e) {
            return null; // not up yet: the awaits ask again
        }
    }
}
