package io.memring.client.security;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a client speaks TLS to its nodes. Trust: a PEM file of CA certificates ({@code caFile}), or a
 * key store of trusted certificates ({@code trustStore}), or, when neither is set, the JDK's default
 * trust store. Client certificate for mutual TLS (optional): a PEM certificate chain plus a PKCS#8 PEM
 * key ({@code certFile}, {@code keyFile}), or a key store ({@code keyStore}). Host name verification
 * (the node's certificate must name the host the client was given) is on by default; turn it off only
 * for test clusters addressed by IP whose certificates do not list those IPs. Passwords never appear in
 * {@link #toString()}. Build with {@link #builder()}; the files are read when the client starts.
 */
public final class TlsSettings {
    private final Path caFile;
    private final Path trustStore;
    private final String trustStorePassword;
    private final String trustStoreType;
    private final Path certFile;
    private final Path keyFile;
    private final String keyPassword;
    private final Path keyStore;
    private final String keyStorePassword;
    private final String keyStoreType;
    private final boolean hostnameVerification;

    private TlsSettings(Builder b) {
        this.caFile = b.caFile;
        this.trustStore = b.trustStore;
        this.trustStorePassword = b.trustStorePassword;
        this.trustStoreType = b.trustStoreType;
        this.certFile = b.certFile;
        this.keyFile = b.keyFile;
        this.keyPassword = b.keyPassword;
        this.keyStore = b.keyStore;
        this.keyStorePassword = b.keyStorePassword;
        this.keyStoreType = b.keyStoreType;
        this.hostnameVerification = b.hostnameVerification;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path caFile() {
        return caFile;
    }

    public Path trustStore() {
        return trustStore;
    }

    public String trustStorePassword() {
        return trustStorePassword;
    }

    public String trustStoreType() {
        return trustStoreType;
    }

    public Path certFile() {
        return certFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    public String keyPassword() {
        return keyPassword;
    }

    public Path keyStore() {
        return keyStore;
    }

    public String keyStorePassword() {
        return keyStorePassword;
    }

    public String keyStoreType() {
        return keyStoreType;
    }

    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    @Override
    public String toString() {
        return "TlsSettings[" + (caFile != null ? "caFile=" + caFile : trustStore != null ? "trustStore=" + trustStore
                : "JDK default trust") + (certFile != null ? ", certFile=" + certFile + ", keyFile=" + keyFile
                : keyStore != null ? ", keyStore=" + keyStore : "") + ", hostnameVerification=" + hostnameVerification + "]";
    }

    /** A validating builder; every setting is optional. */
    public static final class Builder {
        private Path caFile;
        private Path trustStore;
        private String trustStorePassword;
        private String trustStoreType = "PKCS12";
        private Path certFile;
        private Path keyFile;
        private String keyPassword;
        private Path keyStore;
        private String keyStorePassword;
        private String keyStoreType = "PKCS12";
        private boolean hostnameVerification = true;

        /** PEM file of the CA certificate(s) that signed the nodes' certificates (memcached's ssl_ca_cert). */
        public Builder caFile(Path p) {
            this.caFile = p;
            return this;
        }

        /** A key store of trusted certificates; type PKCS12 unless {@link #trustStoreType} says otherwise. */
        public Builder trustStore(Path p, String password) {
            this.trustStore = p;
            this.trustStorePassword = password;
            return this;
        }

        public Builder trustStoreType(String type) {
            this.trustStoreType = type;
            return this;
        }

        /** Client certificate chain (PEM) and its PKCS#8 PEM key, for nodes that verify clients. */
        public Builder clientCertificate(Path certFile, Path keyFile) {
            this.certFile = certFile;
            this.keyFile = keyFile;
            return this;
        }

        /** Password of an encrypted PKCS#8 key file (none by default). */
        public Builder keyPassword(String password) {
            this.keyPassword = password;
            return this;
        }

        /** A key store holding the client certificate and key; type PKCS12 unless {@link #keyStoreType} says otherwise. */
        public Builder keyStore(Path p, String password) {
            this.keyStore = p;
            this.keyStorePassword = password;
            return this;
        }

        public Builder keyStoreType(String type) {
            this.keyStoreType = type;
            return this;
        }

        /** Default true: the node's certificate must name the host (or IP) the client connects to. */
        public Builder hostnameVerification(boolean on) {
            this.hostnameVerification = on;
            return this;
        }

        /** Checks that the settings fit together and that every named file is readable. */
        public TlsSettings build() {
            if (caFile != null && trustStore != null) {
                throw new IllegalArgumentException("set either a CA file or a trust store, not both");
            }
            if ((certFile == null) != (keyFile == null)) {
                throw new IllegalArgumentException("a client certificate needs both its certificate file and its key file");
            }
            if (certFile != null && keyStore != null) {
                throw new IllegalArgumentException("set either a client certificate and key file or a key store, not both");
            }
            for (Path p : new Path[] {caFile, trustStore, certFile, keyFile, keyStore}) {
                if (p != null && !Files.isReadable(p)) {
                    throw new IllegalArgumentException("TLS file not readable: " + p);
                }
            }
            return new TlsSettings(this);
        }
    }
}
