package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.server.security.Security;
import io.memring.server.security.TlsSettings;
import io.memring.testing.StockMemcached;
import io.memring.testing.TestCertificates;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider end to end over TLS with a client certificate and {@code -Y} authentication, configured
 * only through properties given to {@code Caching.getCachingProvider().getCacheManager(...)}: against
 * our node and against stock memcached 1.6.18 ({@code -Z}, {@code -Y}). A wrong password is a
 * {@code CacheException} that names the settings and never the password.
 */
class SecureProviderIT {
    private static final String PASSWORD = "Jcache-Secret-41";
    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private static Path authFile;
    private static MemringServer ours;
    private static StockMemcached stock;

    @BeforeAll
    static void nodes() throws Exception {
        certs = TestCertificates.generate(dir.resolve("pki"));
        authFile = dir.resolve("auth");
        Files.writeString(authFile, "app:" + PASSWORD + "\n");
        ours = MemringServer.start(ServerConfig.defaults().withPort(0).withWorkerThreads(1).withSecurity(Security.none()
                .withTls(TlsSettings.of(certs.server().cert(), certs.server().key(), certs.caCert())
                        .withVerifyMode(TlsSettings.VerifyMode.REQUIRE))
                .withAuthFile(authFile)));
        stock = StockMemcached.start("-Z", "-o", "ssl_chain_cert=" + certs.server().cert() + ",ssl_key=" + certs.server().key()
                + ",ssl_ca_cert=" + certs.caCert() + ",ssl_verify_mode=2", "-Y", authFile.toString());
    }

    @AfterAll
    static void stop() {
        if (ours != null) {
            ours.close();
        }
        if (stock != null) {
            stock.close();
        }
    }

    private static Properties settings(int port, String password) {
        Properties p = new Properties();
        p.setProperty("memring.servers", "localhost:" + port);
        p.setProperty("memring.tls.enabled", "true");
        p.setProperty("memring.tls.caFile", certs.caCert().toString());
        p.setProperty("memring.tls.certFile", certs.client().cert().toString());
        p.setProperty("memring.tls.keyFile", certs.client().key().toString());
        p.setProperty("memring.auth.user", "app");
        p.setProperty("memring.auth.password", password);
        p.setProperty("memring.failover", "FAIL_FAST");
        return p;
    }

    private static void roundTrip(int port, String name) {
        CachingProvider provider = Caching.getCachingProvider(MemringCachingProvider.class.getName());
        CacheManager manager = provider.getCacheManager(URI.create("memring://secure-" + name), SecureProviderIT.class.getClassLoader(),
                settings(port, PASSWORD));
        try {
            Cache<String, String> cache = manager.createCache(name, new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class));
            for (int i = 0; i < 20; i++) {
                cache.put("k" + i, "v" + i);
            }
            assertThat(cache.get("k3")).isEqualTo("v3");
            assertThat(cache.putIfAbsent("k3", "other")).isFalse();
            Map<String, String> all = new HashMap<>();
            cache.forEach(e -> all.put(e.getKey(), e.getValue())); // a key scan on the scan connection
            assertThat(all).hasSize(20).containsEntry("k19", "v19");
            cache.clear();
            assertThat(cache.get("k3")).isNull();
        } finally {
            manager.close();
        }
    }

    @Test
    void tlsAndAuth_throughProperties_onOurNode() {
        roundTrip(ours.port(), "ours");
    }

    @Test
    void tlsAndAuth_throughProperties_onStockMemcached() {
        roundTrip(stock.port, "stock");
    }

    @Test
    void wrongPassword_isACacheException_namingTheSettings_neverThePassword() {
        for (int port : new int[] {ours.port(), stock.port}) {
            CachingProvider provider = Caching.getCachingProvider(MemringCachingProvider.class.getName());
            String wrong = "Wrong-" + PASSWORD;
            CacheManager manager = provider.getCacheManager(URI.create("memring://wrong-" + port),
                    SecureProviderIT.class.getClassLoader(), settings(port, wrong));
            try {
                Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<String, String>()
                        .setTypes(String.class, String.class));
                Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> cache.get("k"));
                assertThat(e).isInstanceOf(CacheException.class).hasMessageContaining("authentication failure")
                        .hasMessageContaining("memring.auth.password");
                for (Throwable t = e; t != null; t = t.getCause()) {
                    assertThat(String.valueOf(t.getMessage())).doesNotContain(PASSWORD);
                }
                assertThatThrownBy(() -> cache.put("k", "v")).isInstanceOf(CacheException.class);
            } finally {
                manager.close();
            }
        }
    }
}
