package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.testing.NodeProcess;
import io.memring.testing.RawClient;
import io.memring.testing.StockMemcached;
import io.memring.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node started as operators start memcached, with {@code -Z -o ssl_*}, {@code -l ...,notls:...} and
 * {@code -Y}: TLS and plaintext listeners both ask for authentication; {@code stats settings} prints the
 * same TLS and auth lines as stock memcached 1.6.18 given the same flags; unusable files stop it with a
 * message naming them.
 */
class SecureCommandLineIT {
    @TempDir
    static Path dir;
    /** A first handshake, not yet compiled, on a loaded 2-core machine can take seconds. */
    private static final List<String> SLOW_MACHINE = List.of("-Dmemring.tls.handshakeTimeoutMillis=30000");
    private static TestCertificates certs;
    private static Path authFile;

    @BeforeAll
    static void files() throws Exception {
        certs = TestCertificates.generate(dir.resolve("certs"));
        authFile = dir.resolve("users");
        Files.writeString(authFile, "alice:secret\n");
    }

    private static String[] flags(int notlsPort) {
        return new String[] {"-Z", "-o", "ssl_chain_cert=" + certs.server().cert() + ",ssl_key=" + certs.server().key()
                + ",ssl_ca_cert=" + certs.caCert() + ",ssl_verify_mode=2,ssl_min_version=2",
                "-l", "notls:127.0.0.1:" + notlsPort, "-Y", authFile.toString()};
    }

    @Test
    void tlsAndNotlsListeners_withAuth_andSettingsAsMemcached() throws Exception {
        int notls = StockMemcached.freePort();
        List<String> args = new ArrayList<>(List.of("-l", "127.0.0.1"));
        args.addAll(List.of(flags(notls)));
        SSLContext ctx = certs.clientContext(certs.client(), certs.caCert());
        try (NodeProcess node = NodeProcess.start(SLOW_MACHINE, args.toArray(String[]::new))) {
            String ours;
            try (RawClient c = RawClient.tls(node.port, ctx)) {
                assertThat(c.roundTrip("get k\r\n", "\r\n")).isEqualTo("CLIENT_ERROR unauthenticated\r\n");
                assertThat(c.roundTrip("set a 0 0 12\r\nalice secret\r\n", "\r\n")).isEqualTo("STORED\r\n");
                assertThat(c.roundTrip("set k 0 0 2\r\nok\r\n", "\r\n")).isEqualTo("STORED\r\n");
                ours = c.roundTrip("stats settings\r\n", "END\r\n");
            }
            try (RawClient plain = new RawClient(notls)) {
                assertThat(plain.roundTrip("get k\r\n", "\r\n")).isEqualTo("CLIENT_ERROR unauthenticated\r\n");
                assertThat(plain.roundTrip("set a 0 0 12\r\nalice secret\r\nget k\r\n", "END\r\n"))
                        .isEqualTo("STORED\r\nVALUE k 0 2\r\nok\r\nEND\r\n");
            }
            try (StockMemcached stock = StockMemcached.start(flags(StockMemcached.freePort()));
                 RawClient c = RawClient.tls(stock.port, ctx)) {
                assertThat(c.roundTrip("set a 0 0 12\r\nalice secret\r\n", "\r\n")).isEqualTo("STORED\r\n");
                String theirs = c.roundTrip("stats settings\r\n", "END\r\n");
                assertThat(securityLines(ours)).hasSize(12).isEqualTo(securityLines(theirs));
            }
            assertThat(node.output()).doesNotContain("WARN  MemringServer"); // loopback only: nothing exposed
        }
    }

    @Test
    void sighup_reloadsTheAuthFileAsMemcached_andTheCertificates() throws Exception {
        Path users = dir.resolve("hup-users");
        Path cert = dir.resolve("hup-cert.pem");
        Path key = dir.resolve("hup-key.pem");
        Files.writeString(users, "alice:secret\n");
        Files.copy(certs.server().cert(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(certs.server().key(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        SSLContext ctx = certs.clientContext(null, certs.caCert());
        try (NodeProcess node = NodeProcess.start(SLOW_MACHINE, "-l", "127.0.0.1", "-Y", users.toString(), "-Z", "-o",
                "ssl_chain_cert=" + cert + ",ssl_key=" + key);
             StockMemcached stock = StockMemcached.start("-Y", users.toString());
             RawClient before = RawClient.tls(node.port, ctx)) {
            assertThat(before.roundTrip("set a 0 0 12\r\nalice secret\r\n", "\r\n")).isEqualTo("STORED\r\n");
            TestCertificates.Identity renewed = certs.issue("hup-renewed", "CN=memring-node-renewed",
                    java.time.Instant.now().minusSeconds(3600), java.time.Instant.now().plusSeconds(86_400), true);
            Files.writeString(users, "alice:newpw\n");
            Files.copy(renewed.cert(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewed.key(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            io.memring.testing.Signals.hup(node.pid());
            io.memring.testing.Signals.hup(stock.pid());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
                try (RawClient c = RawClient.tls(node.port, ctx)) {
                    assertThat(c.roundTrip("set a 0 0 11\r\nalice newpw\r\n", "\r\n")).isEqualTo("STORED\r\n");
                    assertThat(((javax.net.ssl.SSLSocket) c.socket()).getSession().getPeerCertificates()[0])
                            .extracting(x -> ((java.security.cert.X509Certificate) x).getSubjectX500Principal().getName())
                            .isEqualTo("CN=memring-node-renewed");
                }
            });
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
                try (RawClient c = new RawClient(stock.port)) { // memcached reloads its auth file on SIGHUP too
                    assertThat(c.roundTrip("set a 0 0 11\r\nalice newpw\r\n", "\r\n")).isEqualTo("STORED\r\n");
                }
            });
            try (RawClient ours = RawClient.tls(node.port, ctx); RawClient theirs = new RawClient(stock.port)) {
                String old = "set a 0 0 12\r\nalice secret\r\n";
                assertThat(ours.roundTrip(old, "\r\n")).isEqualTo(theirs.roundTrip(old, "\r\n"))
                        .isEqualTo("CLIENT_ERROR authentication failure\r\n");
            }
            assertThat(before.roundTrip("version\r\n", "\r\n")).as("authenticated before the reload").startsWith("VERSION ");
            assertThat(node.output()).contains("auth file " + users + " reloaded: 1 users", "TLS certificates reloaded");
        }
    }

    private static List<String> securityLines(String settings) {
        return settings.lines().filter(l -> l.startsWith("STAT ssl_") || l.startsWith("STAT auth_enabled_ascii")).toList();
    }

    @Test
    void unusableTlsFiles_stopTheNode_namingTheFile() throws Exception {
        Path missing = dir.resolve("missing.pem");
        String out = run("-p", "0", "-Z", "-o", "ssl_chain_cert=" + missing + ",ssl_key=" + certs.server().key());
        assertThat(out).doesNotStartWith("0:").contains(missing.toString());
        String mismatch = run("-p", "0", "-Z", "-o", "ssl_chain_cert=" + certs.server().cert() + ",ssl_key=" + certs.client().key());
        assertThat(mismatch).doesNotStartWith("0:").contains("does not match the certificate");
        Path badUsers = dir.resolve("bad-users");
        Files.writeString(badUsers, "no colon here\n");
        assertThat(run("-p", "0", "-Y", badUsers.toString())).doesNotStartWith("0:").contains("malformed");
    }

    /** Runs the node's main, which must exit by itself; returns "exit:output". */
    private static String run(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "io.memring.server.cli.ServerMain"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s exits", cmd).isTrue();
            return p.exitValue() + ":" + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }
}
