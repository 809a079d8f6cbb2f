package io.memring.server.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files memcached takes: certificates ({@code BEGIN CERTIFICATE}, several in one file) and a
 * private key, PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA or EC) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, wrapped
 * into PKCS#8 here, so no BouncyCastle at run time). Encrypted keys and SEC1 {@code BEGIN EC PRIVATE KEY} are
 * refused with a message saying how to convert them ({@code openssl pkcs8 -topk8 -nocrypt}).
 */
public final class PemFiles {
    /** A key file is small; a larger one is not a key (and is not read whole into memory). */
    private static final long MAX_FILE = 1 << 20;
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** DER of PKCS#8's version 0 and AlgorithmIdentifier {rsaEncryption, NULL}: what precedes a PKCS#1 key. */
    private static final byte[] RSA_ALGORITHM = {0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48,
            (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemFiles() {
    }

    /** Returns the certificates in {@code file}, in file order; fails when there are none. */
    public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        byte[] bytes = read(file);
        List<X509Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(bytes)).stream().map(c -> (X509Certificate) c).toList();
        if (certs.isEmpty()) {
            throw new GeneralSecurityException(file + ": no PEM certificate in it");
        }
        return certs;
    }

    /** Returns the first private key in {@code file}. */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String text = new String(read(file), StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException(file + ": bad base64 in " + type, e);
            }
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(file, der);
                case "RSA PRIVATE KEY":
                    if (text.contains("Proc-Type: 4,ENCRYPTED")) {
                        throw encrypted(file);
                    }
                    return pkcs8(file, wrapPkcs1(der));
                case "ENCRYPTED PRIVATE KEY":
                    throw encrypted(file);
                case "EC PRIVATE KEY":
                    throw new GeneralSecurityException(file + ": SEC1 EC keys are not read; convert with"
                            + " `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`");
                default:
                    // a certificate or parameters before the key: keep looking
            }
        }
        throw new GeneralSecurityException(file + ": no PEM private key in it");
    }

    private static GeneralSecurityException encrypted(Path file) {
        return new GeneralSecurityException(file + ": the key is encrypted; memcached's ssl_key is a plain key"
                + " (decrypt with `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "RSASSA-PSS", "Ed25519", "DSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException(file + ": unreadable private key (not RSA, EC, Ed25519 or DSA PKCS#8)");
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo: SEQUENCE { 0, rsaEncryption, OCTET STRING key }. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] octets = concat(new byte[] {0x04}, derLength(pkcs1.length), pkcs1);
        byte[] body = concat(RSA_ALGORITHM, octets);
        return concat(new byte[] {0x30}, derLength(body.length), body);
    }

    private static byte[] derLength(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        }
        if (n < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        }
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE) {
            throw new IOException(file + ": " + size + " bytes is too large for a PEM certificate or key file");
        }
        return Files.readAllBytes(file);
    }
}
