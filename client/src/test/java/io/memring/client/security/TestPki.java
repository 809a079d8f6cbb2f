package io.memring.client.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates generated at test time with the {@code openssl} command (no key is committed): a CA,
 * a node certificate for {@code localhost}/127.0.0.1, a client certificate, an expired node
 * certificate, a node certificate that names only another host, and a second, unrelated CA. EC P-256
 * keys (fast to generate), PKCS#8 PEM as memcached and Netty read them.
 */
public final class TestPki implements AutoCloseable {
    public final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    public static TestPki create() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("memring-pki");
        TestPki pki = new TestPki(dir);
        pki.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "2", "-subj", "/CN=memring-test-ca");
        pki.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "other-ca.key",
                "-out", "other-ca.pem", "-days", "2", "-subj", "/CN=some-other-ca");
        pki.issue("node", "localhost", "DNS:localhost,IP:127.0.0.1", false);
        pki.issue("client", "memring-client", "DNS:memring-client", false);
        pki.issue("elsewhere", "memring.invalid", "DNS:memring.invalid", false);
        pki.issue("expired", "localhost", "DNS:localhost,IP:127.0.0.1", true);
        return pki;
    }

    public Path ca() {
        return dir.resolve("ca.pem");
    }

    public Path otherCa() {
        return dir.resolve("other-ca.pem");
    }

    /** Returns {@code name}.pem (chain) for node, client, elsewhere, expired. */
    public Path cert(String name) {
        return dir.resolve(name + ".pem");
    }

    public Path key(String name) {
        return dir.resolve(name + ".key");
    }

    private void issue(String name, String cn, String san, boolean expired) throws IOException, InterruptedException {
        run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key", "-out",
                name + ".csr", "-subj", "/CN=" + cn, "-addext", "subjectAltName=" + san);
        if (!expired) {
            Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + san
                    + "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n");
            run("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                    name + ".pem", "-days", "2", "-extfile", name + ".ext");
            return;
        }
        // `openssl x509` cannot backdate: a minimal CA database lets `openssl ca` set both dates in the past
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("serial"), "1000\n");
        Files.writeString(dir.resolve("ca.cnf"), "[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nnew_certs_dir=.\n"
                + "serial=serial\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\n[p]\ncommonName=supplied\n");
        run("ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", name + ".csr", "-out",
                name + ".pem", "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-notext");
    }

    private void run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
