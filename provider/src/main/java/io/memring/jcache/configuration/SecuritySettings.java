package io.memring.jcache.configuration;

import io.memring.client.security.Credentials;
import io.memring.client.security.TlsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Function;
import javax.cache.CacheException;

/**
 * The provider's TLS and authentication settings ({@code memring.tls.*}, {@code memring.auth.*}),
 * checked together: TLS options without {@code memring.tls.enabled=true} are refused (a typo must not
 * silently mean plaintext), so are a user without a password and a password without a user. The
 * password comes from {@code memring.auth.password}, else the first line of
 * {@code memring.auth.passwordFile}, else the environment variable {@value #PASSWORD_ENV}. Passwords
 * are {@linkplain Setting#secret() secret} settings: no message, log line or {@code toString} shows
 * them.
 *
 * @param tls TLS settings, or null for plain TCP
 * @param credentials who to authenticate as, or null for none
 */
public record SecuritySettings(TlsSettings tls, Credentials credentials) {
    /** The environment variable the password is read from when no setting gives it. */
    public static final String PASSWORD_ENV = "MEMRING_AUTH_PASSWORD";

    public static final Setting<Boolean> TLS_ENABLED = new Setting<>("memring.tls.enabled", "false",
            "`true`: TLS to every node (JDK engine, TLS 1.2/1.3); the other `memring.tls.*` settings need it",
            SecuritySettings::bool);
    public static final Setting<String> TLS_CA_FILE = new Setting<>("memring.tls.caFile", "",
            "PEM file of the CA certificate(s) the nodes' certificates must chain to (memcached's `ssl_ca_cert`); "
                    + "neither this nor a trust store: the JDK's default trust store", v -> v);
    public static final Setting<String> TLS_TRUST_STORE = new Setting<>("memring.tls.trustStore", "",
            "key store of trusted certificates, instead of `memring.tls.caFile`", v -> v);
    public static final Setting<String> TLS_TRUST_STORE_PASSWORD = new Setting<>("memring.tls.trustStorePassword", "",
            "password of `memring.tls.trustStore` (never logged)", v -> v, true);
    public static final Setting<String> TLS_TRUST_STORE_TYPE = new Setting<>("memring.tls.trustStoreType", "PKCS12",
            "type of `memring.tls.trustStore` (`PKCS12`, `JKS`)", v -> v);
    public static final Setting<String> TLS_CERT_FILE = new Setting<>("memring.tls.certFile", "",
            "client certificate chain (PEM) for nodes that verify clients (mutual TLS); with `memring.tls.keyFile`", v -> v);
    public static final Setting<String> TLS_KEY_FILE = new Setting<>("memring.tls.keyFile", "",
            "the client certificate's private key (PKCS#8 PEM)", v -> v);
    public static final Setting<String> TLS_KEY_PASSWORD = new Setting<>("memring.tls.keyPassword", "",
            "password of an encrypted `memring.tls.keyFile` (never logged)", v -> v, true);
    public static final Setting<String> TLS_KEY_STORE = new Setting<>("memring.tls.keyStore", "",
            "key store with the client certificate and key, instead of `memring.tls.certFile`/`keyFile`", v -> v);
    public static final Setting<String> TLS_KEY_STORE_PASSWORD = new Setting<>("memring.tls.keyStorePassword", "",
            "password of `memring.tls.keyStore` (never logged)", v -> v, true);
    public static final Setting<String> TLS_KEY_STORE_TYPE = new Setting<>("memring.tls.keyStoreType", "PKCS12",
            "type of `memring.tls.keyStore` (`PKCS12`, `JKS`)", v -> v);
    public static final Setting<Boolean> TLS_HOSTNAME_VERIFICATION = new Setting<>("memring.tls.hostnameVerification", "true",
            "`false` accepts a node certificate that does not name the host in `memring.servers` (test clusters addressed by IP only)",
            SecuritySettings::bool);
    public static final Setting<String> AUTH_USER = new Setting<>("memring.auth.user", "",
            "user for memcached's ASCII authentication (`-Y`) on every connection; credentials go only to a node that asks for them", v -> v);
    public static final Setting<String> AUTH_PASSWORD = new Setting<>("memring.auth.password", "",
            "its password (never logged); else `memring.auth.passwordFile`, else the environment variable `" + PASSWORD_ENV + "`",
            v -> v, true);
    public static final Setting<String> AUTH_PASSWORD_FILE = new Setting<>("memring.auth.passwordFile", "",
            "file whose first line is the password", v -> v);

    /** Every TLS and authentication setting, in the README's order. */
    public static final List<Setting<?>> ALL = List.of(TLS_ENABLED, TLS_CA_FILE, TLS_TRUST_STORE, TLS_TRUST_STORE_PASSWORD,
            TLS_TRUST_STORE_TYPE, TLS_CERT_FILE, TLS_KEY_FILE, TLS_KEY_PASSWORD, TLS_KEY_STORE, TLS_KEY_STORE_PASSWORD,
            TLS_KEY_STORE_TYPE, TLS_HOSTNAME_VERIFICATION, AUTH_USER, AUTH_PASSWORD, AUTH_PASSWORD_FILE);

    /** Reads and checks the settings; the password's last resort is the process environment. */
    public static SecuritySettings of(Properties properties) {
        return of(properties, System::getenv);
    }

    /** The same with an environment of the caller's choosing (tests). */
    public static SecuritySettings of(Properties properties, Function<String, String> env) {
        return new SecuritySettings(tls(properties), credentials(properties, env));
    }

    /** Returns whether neither TLS nor authentication is on. */
    public boolean plain() {
        return tls == null && credentials == null;
    }

    private static TlsSettings tls(Properties p) {
        if (!TLS_ENABLED.read(p)) {
            for (Setting<?> s : ALL) {
                if (s.key().startsWith("memring.tls.") && s != TLS_ENABLED && isSet(p, s)) {
                    throw new CacheException(s.key() + " is set but " + TLS_ENABLED.key() + " is not true: set "
                            + TLS_ENABLED.key() + "=true, or remove " + s.key());
                }
            }
            return null;
        }
        TlsSettings.Builder b = TlsSettings.builder().hostnameVerification(TLS_HOSTNAME_VERIFICATION.read(p));
        if (isSet(p, TLS_CA_FILE)) {
            b.caFile(Path.of(TLS_CA_FILE.read(p)));
        }
        if (isSet(p, TLS_TRUST_STORE)) {
            b.trustStore(Path.of(TLS_TRUST_STORE.read(p)), emptyToNull(TLS_TRUST_STORE_PASSWORD.read(p)))
                    .trustStoreType(TLS_TRUST_STORE_TYPE.read(p));
        }
        if (isSet(p, TLS_CERT_FILE) || isSet(p, TLS_KEY_FILE)) {
            b.clientCertificate(isSet(p, TLS_CERT_FILE) ? Path.of(TLS_CERT_FILE.read(p)) : null,
                    isSet(p, TLS_KEY_FILE) ? Path.of(TLS_KEY_FILE.read(p)) : null);
            b.keyPassword(emptyToNull(TLS_KEY_PASSWORD.read(p)));
        }
        if (isSet(p, TLS_KEY_STORE)) {
            b.keyStore(Path.of(TLS_KEY_STORE.read(p)), emptyToNull(TLS_KEY_STORE_PASSWORD.read(p)))
                    .keyStoreType(TLS_KEY_STORE_TYPE.read(p));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CacheException("bad memring.tls settings: " + e.getMessage(), e);
        }
    }

    private static Credentials credentials(Properties p, Function<String, String> env) {
        String user = AUTH_USER.read(p);
        boolean inline = isSet(p, AUTH_PASSWORD);
        boolean file = isSet(p, AUTH_PASSWORD_FILE);
        if (inline && file) {
            throw new CacheException("set " + AUTH_PASSWORD.key() + " or " + AUTH_PASSWORD_FILE.key() + ", not both");
        }
        if (user.isEmpty()) {
            if (inline || file) {
                throw new CacheException((inline ? AUTH_PASSWORD : AUTH_PASSWORD_FILE).key() + " is set but "
                        + AUTH_USER.key() + " is not");
            }
            return null; // an ambient MEMRING_AUTH_PASSWORD alone turns nothing on
        }
        String password;
        String source;
        if (inline) {
            password = AUTH_PASSWORD.read(p);
            source = AUTH_PASSWORD.key();
        } else if (file) {
            source = AUTH_PASSWORD_FILE.key();
            password = firstLine(Path.of(AUTH_PASSWORD_FILE.read(p)));
        } else {
            source = "the environment variable " + PASSWORD_ENV;
            password = env.apply(PASSWORD_ENV);
            if (password == null || password.isEmpty()) {
                throw new CacheException(AUTH_USER.key() + " is set but no password is: set " + AUTH_PASSWORD.key() + ", "
                        + AUTH_PASSWORD_FILE.key() + " or the environment variable " + PASSWORD_ENV);
            }
        }
        try {
            return Credentials.of(user, password);
        } catch (IllegalArgumentException e) {
            throw new CacheException("bad credentials from " + AUTH_USER.key() + " and " + source + ": " + e.getMessage());
        }
    }

    private static String firstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new CacheException(AUTH_PASSWORD_FILE.key() + " " + file + " has no password on its first line");
            }
            return lines.get(0);
        } catch (IOException e) {
            throw new CacheException("cannot read " + AUTH_PASSWORD_FILE.key() + " " + file + ": " + e, e);
        }
    }

    private static boolean isSet(Properties p, Setting<?> s) {
        Object v = p.get(s.key());
        return v instanceof String text && !text.isBlank();
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    @Override
    public String toString() {
        return "SecuritySettings[tls=" + (tls == null ? "off" : tls) + ", auth=" + (credentials == null ? "none" : credentials) + "]";
    }
}
