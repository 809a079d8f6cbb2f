package io.memring.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecuritySettingsTest {
    private static final String SECRET = "Pw-Never-Shown-93";
    private static final Map<String, String> NO_ENV = Map.of();

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    private static SecuritySettings of(Properties p, Map<String, String> env) {
        return SecuritySettings.of(p, env::get);
    }

    @Test
    void nothingSet_isPlain_evenWithThePasswordInTheEnvironment() {
        assertThat(of(new Properties(), Map.of(SecuritySettings.PASSWORD_ENV, SECRET)).plain()).isTrue();
    }

    @Test
    void tlsOptionWithoutEnabled_isRefused_notSilentlyPlaintext() {
        assertThatThrownBy(() -> of(props("memring.tls.caFile", "/tmp/ca.pem"), NO_ENV))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("memring.tls.caFile is set but memring.tls.enabled is not true");
    }

    @Test
    void tlsFiles_areChecked_whenTheManagerIsMade(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.generate(dir);
        SecuritySettings s = of(props("memring.tls.enabled", "true", "memring.tls.caFile", certs.caCert().toString(),
                "memring.tls.certFile", certs.client().cert().toString(), "memring.tls.keyFile", certs.client().key().toString(),
                "memring.tls.hostnameVerification", "false"), NO_ENV);
        assertThat(s.tls().caFile()).isEqualTo(certs.caCert());
        assertThat(s.tls().hostnameVerification()).isFalse();
        assertThatThrownBy(() -> of(props("memring.tls.enabled", "true", "memring.tls.caFile", dir.resolve("missing.pem").toString()), NO_ENV))
                .isInstanceOf(CacheException.class).hasMessageContaining("not readable");
        assertThatThrownBy(() -> of(props("memring.tls.enabled", "true", "memring.tls.certFile", certs.client().cert().toString()), NO_ENV))
                .hasMessageContaining("both its certificate file and its key file");
        assertThatThrownBy(() -> of(props("memring.tls.enabled", "yes"), NO_ENV)).hasMessageContaining("true or false");
    }

    @Test
    void password_fromTheSetting_aFile_orTheEnvironment(@TempDir Path dir) throws Exception {
        assertThat(of(props("memring.auth.user", "alice", "memring.auth.password", SECRET), NO_ENV).credentials().password())
                .isEqualTo(SECRET);
        Path file = dir.resolve("pw");
        Files.writeString(file, SECRET + "\nignored second line\n");
        assertThat(of(props("memring.auth.user", "alice", "memring.auth.passwordFile", file.toString()), NO_ENV)
                .credentials().password()).isEqualTo(SECRET);
        assertThat(of(props("memring.auth.user", "alice"), Map.of(SecuritySettings.PASSWORD_ENV, SECRET))
                .credentials().password()).isEqualTo(SECRET);
    }

    @Test
    void incompleteOrConflictingCredentials_areRefused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> of(props("memring.auth.user", "alice"), NO_ENV))
                .hasMessageContaining(SecuritySettings.PASSWORD_ENV);
        assertThatThrownBy(() -> of(props("memring.auth.password", SECRET), NO_ENV))
                .hasMessageContaining("memring.auth.user is not");
        Path file = dir.resolve("pw");
        Files.writeString(file, SECRET);
        assertThatThrownBy(() -> of(props("memring.auth.user", "alice", "memring.auth.password", SECRET,
                "memring.auth.passwordFile", file.toString()), NO_ENV)).hasMessageContaining("not both");
    }

    @Test
    void thePassword_isInNoMessage_andNoToString() {
        String bad = "x\u0001" + SECRET; // a control character inside (the ends are trimmed)
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(
                () -> of(props("memring.auth.user", "alice", "memring.auth.password", bad), NO_ENV));
        assertThat(e).isInstanceOf(CacheException.class).hasMessageContaining("alice");
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET);
        }
        ProviderSettings settings = ProviderSettings.of(props("memring.servers", "127.0.0.1:11211",
                "memring.auth.user", "alice", "memring.auth.password", SECRET));
        assertThat(settings.toString()).doesNotContain(SECRET).contains("alice");
        assertThat(SecuritySettings.AUTH_PASSWORD.secret()).isTrue();
        assertThat(SecuritySettings.AUTH_PASSWORD.shown(SECRET)).isEqualTo("****");
    }

    @Test
    void misspelledSecuritySetting_namesTheNearestOne() {
        assertThatThrownBy(() -> ProviderSettings.resolve(java.net.URI.create("memring://t"), props("memring.tls.enable", "true"),
                getClass().getClassLoader())).hasMessageContaining("did you mean memring.tls.enabled?");
    }
}
