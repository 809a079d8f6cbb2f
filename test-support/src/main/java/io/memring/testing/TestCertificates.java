package io.memring.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made at test time, so that no key is ever committed: a CA, a server certificate for
 * 127.0.0.1/localhost, a client certificate, an expired one, and a client signed by another CA, each
 * written as PEM files in a directory the test owns (memcached's {@code ssl_chain_cert}/{@code ssl_key}/
 * {@code ssl_ca_cert} format). Keys are RSA 2048, written as PKCS#8 ({@code BEGIN PRIVATE KEY});
 * {@link #writePkcs1Key} writes the older {@code BEGIN RSA PRIVATE KEY} form too. Generated in
 * process with BouncyCastle (test scope only), in well under a second.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.generate(tempDir);
 * // node: -Z -o ssl_chain_cert=certs.server().cert(),ssl_key=certs.server().key(),ssl_ca_cert=certs.caCert()
 * SSLContext ctx = certs.clientContext(certs.client(), certs.caCert());
 * }</pre>
 */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final Duration LIFETIME = Duration.ofDays(2);

    /**
     * One certificate and its key: the PEM files and the parsed objects.
     *
     * @param cert PEM certificate file (just this certificate; the CA is {@link #caCert()})
     * @param key PEM PKCS#8 private key file
     */
    public record Identity(Path cert, Path key, X509Certificate certificate, PrivateKey privateKey) {
    }

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Path caCert;
    private final Identity server;
    private final Identity client;
    private final Identity expiredClient;
    private final Identity expiredServer;
    private final Path otherCaCert;
    private final Identity strangerClient;
    private final Identity strangerServer;

    private TestCertificates(Path dir) throws IOException, GeneralSecurityException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.caKeys = rsa();
        this.ca = selfSignedCa("CN=Memring Test CA", caKeys);
        this.caCert = writeCert("ca.pem", ca);
        Instant now = Instant.now();
        this.server = issue("server", "CN=memring-node", now.minus(Duration.ofHours(1)), now.plus(LIFETIME), true, caKeys, ca);
        this.client = issue("client", "CN=memring-client", now.minus(Duration.ofHours(1)), now.plus(LIFETIME), false, caKeys, ca);
        this.expiredClient = issue("expired-client", "CN=memring-expired-client", now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(9)), false, caKeys, ca);
        this.expiredServer = issue("expired-server", "CN=memring-expired-node", now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(9)), true, caKeys, ca);
        KeyPair otherKeys = rsa();
        X509Certificate other = selfSignedCa("CN=Some Other CA", otherKeys);
        this.otherCaCert = writeCert("other-ca.pem", other);
        this.strangerClient = issue("stranger-client", "CN=stranger", now.minus(Duration.ofHours(1)), now.plus(LIFETIME),
                false, otherKeys, other);
        this.strangerServer = issue("stranger-server", "CN=stranger-node", now.minus(Duration.ofHours(1)), now.plus(LIFETIME),
                true, otherKeys, other);
    }

    /** Generates the whole set into {@code dir} (created if missing). */
    public static TestCertificates generate(Path dir) throws IOException, GeneralSecurityException {
        return new TestCertificates(dir);
    }

    /** Returns the test CA's PEM certificate (memcached's {@code ssl_ca_cert}, a client's trust). */
    public Path caCert() {
        return caCert;
    }

    /** Returns the CA's certificate. */
    public X509Certificate ca() {
        return ca;
    }

    /** Returns a server certificate for 127.0.0.1 and localhost (server and client auth), signed by the CA. */
    public Identity server() {
        return server;
    }

    /** Returns a client certificate signed by the CA. */
    public Identity client() {
        return client;
    }

    /** Returns a client certificate signed by the CA whose validity ended 9 days ago. */
    public Identity expiredClient() {
        return expiredClient;
    }

    /** Returns a server certificate (127.0.0.1, localhost) signed by the CA whose validity ended 9 days ago. */
    public Identity expiredServer() {
        return expiredServer;
    }

    /** Returns the PEM certificate of a second CA that nothing trusts. */
    public Path otherCaCert() {
        return otherCaCert;
    }

    /** Returns a client certificate signed by the other CA: valid, but not trusted by a node using {@link #caCert()}. */
    public Identity strangerClient() {
        return strangerClient;
    }

    /** Returns a server certificate (127.0.0.1, localhost) signed by the other CA. */
    public Identity strangerServer() {
        return strangerServer;
    }

    /** Issues a further certificate from the test CA (e.g. to replace a node's certificate in a reload test). */
    public Identity issue(String name, String subject, Instant notBefore, Instant notAfter, boolean serverNames)
            throws IOException, GeneralSecurityException {
        return issue(name, subject, notBefore, notAfter, serverNames, caKeys, ca);
    }

    /** Writes {@code identity}'s RSA key in PKCS#1 form ({@code BEGIN RSA PRIVATE KEY}) and returns the file. */
    public Path writePkcs1Key(Identity identity) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(identity.privateKey().getEncoded());
        byte[] pkcs1 = info.parsePrivateKey().toASN1Primitive().getEncoded();
        Path file = dir.resolve(identity.cert().getFileName().toString().replace("-cert.pem", "-key-pkcs1.pem"));
        writePem(file, new PemObject("RSA PRIVATE KEY", pkcs1));
        return file;
    }

    /**
     * Returns a TLS client context trusting {@code trustedCa} (a PEM file) and presenting {@code identity}
     * (null for none).
     */
    public SSLContext clientContext(Identity identity, Path trustedCa) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (X509Certificate c : readCerts(trustedCa)) {
            trust.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (identity != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] pw = "test".toCharArray();
            keys.setKeyEntry("me", identity.privateKey(), pw, new X509Certificate[] {identity.certificate()});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, pw);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }

    private static List<X509Certificate> readCerts(Path pem) throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(pem)) {
            var factory = java.security.cert.CertificateFactory.getInstance("X.509");
            return factory.generateCertificates(in).stream().map(c -> (X509Certificate) c).toList();
        }
    }

    private Identity issue(String name, String subject, Instant notBefore, Instant notAfter, boolean serverNames,
                           KeyPair issuerKeys, X509Certificate issuer) throws IOException, GeneralSecurityException {
        KeyPair keys = rsa();
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(notBefore), Date.from(notAfter),
                new X500Name(subject), keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
        if (serverNames) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        X509Certificate cert = sign(b, issuerKeys.getPrivate());
        Path certFile = writeCert(name + "-cert.pem", cert);
        Path keyFile = dir.resolve(name + "-key.pem");
        writePem(keyFile, new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded()));
        return new Identity(certFile, keyFile, cert, keys.getPrivate());
    }

    private static X509Certificate selfSignedCa(String subject, KeyPair keys) throws IOException, GeneralSecurityException {
        Instant now = Instant.now();
        X500Name name = new X500Name(subject);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        return sign(b, keys.getPrivate());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a test certificate", e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private Path writeCert(String name, X509Certificate cert) throws IOException, GeneralSecurityException {
        Path file = dir.resolve(name);
        writePem(file, new PemObject("CERTIFICATE", cert.getEncoded()));
        return file;
    }

    private static void writePem(Path file, PemObject pem) throws IOException {
        StringWriter out = new StringWriter();
        try (Writer w = new JcaPEMWriter(out)) {
            ((JcaPEMWriter) w).writeObject(pem);
        }
        Files.writeString(file, out.toString(), StandardCharsets.US_ASCII);
    }
}
