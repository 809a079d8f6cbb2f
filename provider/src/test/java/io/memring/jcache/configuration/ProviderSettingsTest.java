package io.memring.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.client.ClientConfig;
import io.memring.client.FailoverPolicy;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderSettingsTest {
    private static final URI PLAIN = URI.create("memring://settings-test");

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    private static ProviderSettings resolve(Properties p) {
        return ProviderSettings.resolve(PLAIN, p, ProviderSettingsTest.class.getClassLoader());
    }

    @Test
    void nothingSet_givesOneDefaultPerSetting() {
        ProviderSettings s = resolve(new Properties());
        assertThat(s.embedded()).isTrue();
        assertThat(s.requestTimeout()).isEqualTo(ClientConfig.DEFAULT_REQUEST_TIMEOUT); // one default, the client's
        assertThat(s.connectTimeout()).isEqualTo(ClientConfig.DEFAULT_CONNECT_TIMEOUT);
        assertThat(s.failover()).isEqualTo(FailoverPolicy.FAILOVER);
        assertThat(s.embeddedMemoryMb()).isEqualTo(64);
    }

    @Test
    void misspelledKey_isRefused_namingTheNearestKnownKey() {
        assertThatThrownBy(() -> resolve(props("memring.requestTimeoutMilis", "500")))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("memring.requestTimeoutMilis")
                .hasMessageContaining("did you mean memring.requestTimeoutMillis?");
        assertThatThrownBy(() -> resolve(props("memring.server", "127.0.0.1:11211")))
                .hasMessageContaining("did you mean memring.servers?");
    }

    @Test
    void keysOutsideTheMemringNamespace_areNotOurs_andIgnored() {
        assertThat(resolve(props("hibernate.cache.use_second_level_cache", "true")).embedded()).isTrue();
    }

    @Test
    void badValues_areRefused_namingTheKey() {
        assertThatThrownBy(() -> resolve(props("memring.requestTimeoutMillis", "soon")))
                .isInstanceOf(CacheException.class).hasMessageContaining("memring.requestTimeoutMillis").hasMessageContaining("soon");
        assertThatThrownBy(() -> resolve(props("memring.connectTimeoutMillis", "0")))
                .isInstanceOf(CacheException.class).hasMessageContaining("memring.connectTimeoutMillis").hasMessageContaining("between");
        assertThatThrownBy(() -> resolve(props("memring.failover", "SOMETIMES")))
                .isInstanceOf(CacheException.class).hasMessageContaining("memring.failover").hasMessageContaining("FAIL_FAST");
        assertThatThrownBy(() -> resolve(props("memring.embedded.memoryMb", "-1")))
                .isInstanceOf(CacheException.class).hasMessageContaining("memring.embedded.memoryMb");
        assertThatThrownBy(() -> resolve(props("memring.servers", "127.0.0.1")))
                .isInstanceOf(CacheException.class).hasMessageContaining("memring.servers");
    }

    @Test
    void goodValues_areRead() {
        ProviderSettings s = resolve(props("memring.servers", "127.0.0.1:1, 127.0.0.1:2", "memring.failover", "fail_fast",
                "memring.requestTimeoutMillis", " 750 "));
        assertThat(s.embedded()).isFalse();
        assertThat(s.failover()).isEqualTo(FailoverPolicy.FAIL_FAST);
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void fileNamedByTheUri_isChecked_andGivenPropertiesWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("memring.properties");
        Files.writeString(file, "memring.requestTimeoutMillis=300\nmemring.connectTimeoutMillis=400\n");
        ProviderSettings s = ProviderSettings.resolve(file.toUri(), props("memring.requestTimeoutMillis", "350"), getClass().getClassLoader());
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofMillis(350));
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(400));

        Files.writeString(file, "memring.failvoer=FAIL_FAST\n");
        assertThatThrownBy(() -> ProviderSettings.resolve(file.toUri(), new Properties(), getClass().getClassLoader()))
                .isInstanceOf(CacheException.class).hasMessageContaining("did you mean memring.failover?");
    }

    @Test
    void misspelledKeyWithAnEmptyValue_isRefused_notAnEmbeddedNode() {
        assertThatThrownBy(() -> resolve(props("memring.sever", "")))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("unknown setting memring.sever")
                .hasMessageContaining("did you mean memring.servers?");
    }

    @Test
    void emptyServers_isAnErrorNamingTheKey_neverTheEmbeddedDefault() {
        for (String empty : new String[] {"", "  "}) {
            assertThatThrownBy(() -> resolve(props("memring.servers", empty)))
                    .isInstanceOf(CacheException.class)
                    .hasMessageContaining("memring.servers is set but empty");
        }
    }

    @Test
    void packagedFile_namedByAJarUrl_isRead(@TempDir Path dir) throws Exception {
        Path jar = jarWith(dir, "config/memring.properties", "memring.requestTimeoutMillis=321\n");
        URI uri = URI.create("jar:" + jar.toUri() + "!/config/memring.properties"); // as Spring and Hibernate pass it
        assertThat(ProviderSettings.resolve(uri, new Properties(), getClass().getClassLoader()).requestTimeout())
                .isEqualTo(Duration.ofMillis(321));
    }

    @Test
    void classpathResource_insideAJar_isRead(@TempDir Path dir) throws Exception {
        Path jar = jarWith(dir, "memring-in-jar.properties", "memring.connectTimeoutMillis=432\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ProviderSettings s = ProviderSettings.resolve(URI.create("classpath:memring-in-jar.properties"), null, loader);
            assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(432));
        }
    }

    @Test
    void namedConfigurationThatCannotBeRead_failsNamingTheUri(@TempDir Path dir) {
        URI missingFile = dir.resolve("absent.properties").toUri();
        URI missingEntry = URI.create("jar:" + dir.resolve("absent.jar").toUri() + "!/memring.properties");
        URI missingResource = URI.create("classpath:no/such/memring.properties");
        URI unknownScheme = URI.create("nosuchscheme:memring.properties");
        for (URI uri : new URI[] {missingFile, missingEntry, missingResource, unknownScheme}) {
            assertThatThrownBy(() -> ProviderSettings.resolve(uri, new Properties(), getClass().getClassLoader()))
                    .isInstanceOf(CacheException.class)
                    .hasMessageContaining("cannot read the Memring configuration " + uri);
        }
    }

    @Test
    void identifyingUris_nameNoFile() {
        for (String uri : new String[] {"memring://default", "memring://anything/else", "just-a-name"}) {
            assertThat(ProviderSettings.resolve(URI.create(uri), null, getClass().getClassLoader()).embedded()).isTrue();
        }
    }

    @Test
    void effectiveProperties_areTheFileThenGivenThenSystemProperties(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("memring.properties");
        Files.writeString(file, "memring.requestTimeoutMillis=300\nmemring.connectTimeoutMillis=400\nmemring.failover=FAIL_FAST\n");
        String key = "memring.connectTimeoutMillis";
        String before = System.getProperty(key);
        System.setProperty(key, "450");
        try {
            Properties p = ProviderSettings.effective(file.toUri(), props("memring.requestTimeoutMillis", "350", "other", "x"),
                    getClass().getClassLoader());
            assertThat(p).containsEntry("memring.requestTimeoutMillis", "350").containsEntry(key, "450")
                    .containsEntry("memring.failover", "FAIL_FAST").containsEntry("other", "x");
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    private static Path jarWith(Path dir, String entry, String content) throws Exception {
        Path jar = dir.resolve("config.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(entry));
            out.write(content.getBytes(StandardCharsets.ISO_8859_1));
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void editDistance_countsInsertionsDeletionsAndSubstitutions() {
        assertThat(ProviderSettings.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(ProviderSettings.editDistance("", "abc")).isEqualTo(3);
        assertThat(ProviderSettings.editDistance("same", "same")).isZero();
    }
}
