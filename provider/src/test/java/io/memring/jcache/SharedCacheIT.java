package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the TCK cannot show: two CacheManagers with separate clients (as two JVMs would be) sharing
 * caches on 3 Memring nodes, and on 3 stock memcached 1.6 nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedCacheIT {
    private final List<Cluster> clusters = new ArrayList<>();
    private int cacheCounter;

    @BeforeAll
    void start() throws Exception {
        clusters.add(Cluster.memring(3));
        clusters.add(Cluster.memcached(3));
    }

    @AfterAll
    void stop() {
        clusters.forEach(Cluster::stop);
    }

    List<Cluster> clusters() {
        return clusters;
    }

    private String freshName() {
        return "shared-" + (++cacheCounter);
    }

    private static <K, V> Cache<K, V> open(CacheManager m, String name, MutableConfiguration<K, V> config) {
        return m.createCache(name, config);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void writesClearAndRemoveAll_areSeenByBothManagers(Cluster cluster) {
        String name = freshName();
        Cache<String, String> a = open(cluster.newManager(), name, new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        Cache<String, String> b = open(cluster.newManager(), name, new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        for (int i = 0; i < 100; i++) {
            a.put("k" + i, "v" + i);
        }
        assertThat(b.get("k42")).isEqualTo("v42");
        Set<String> keys = new HashSet<>();
        b.forEach(e -> keys.add(e.getKey()));
        assertThat(keys).hasSize(100);

        a.clear();
        assertThat(b.get("k42")).isNull();
        assertThat(b.iterator().hasNext()).isFalse();

        b.put("x", "1");
        b.put("y", "2");
        assertThat(a.get("x")).isEqualTo("1");
        a.removeAll();
        assertThat(b.containsKey("x")).isFalse();
        assertThat(b.containsKey("y")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void cachesOfOtherNames_areUntouchedByClear(Cluster cluster) {
        CacheManager m = cluster.newManager();
        String name = freshName();
        Cache<String, String> one = open(m, name, new MutableConfiguration<>());
        Cache<String, String> two = open(m, name + ":b", new MutableConfiguration<>());
        one.put("k", "1");
        two.put("k", "2");
        one.clear();
        assertThat(two.get("k")).isEqualTo("2");
        m.destroyCache(name + ":b");
        assertThat(m.createCache(name + ":b", new MutableConfiguration<String, String>()).get("k")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void expiry_setByOneManager_expiresForTheOther(Cluster cluster) {
        String name = freshName();
        MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 700)));
        Cache<String, String> a = open(cluster.newManager(), name, config);
        Cache<String, String> b = open(cluster.newManager(), name, config);
        a.put("short", "lived");
        assertThat(b.get("short")).isEqualTo("lived");
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> b.get("short") == null);
        assertThat(a.get("short")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void racingInvokeFromTwoClients_losesNoUpdate(Cluster cluster) throws Exception {
        String name = freshName();
        Cache<String, Long> a = open(cluster.newManager(), name, new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
        Cache<String, Long> b = open(cluster.newManager(), name, new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Cache<String, Long> cache : List.of(a, b, a, b)) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        cache.invoke("counter", (entry, args) -> {
                            entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
                            return null;
                        });
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(b.get("counter")).isEqualTo(600L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void longKeys_areHashedOnTheServer_andComeBackWhole(Cluster cluster) {
        CacheManager m = cluster.newManager();
        Cache<String, String> c = open(m, freshName(), new MutableConfiguration<>());
        String longKey = "k".repeat(1000);
        String otherLong = "k".repeat(999) + "j";
        c.put(longKey, "one");
        c.put(otherLong, "two");
        assertThat(c.get(longKey)).isEqualTo("one");
        assertThat(c.get(otherLong)).isEqualTo("two");
        Map<String, String> all = new java.util.HashMap<>();
        c.forEach(e -> all.put(e.getKey(), e.getValue()));
        assertThat(all).containsEntry(longKey, "one").containsEntry(otherLong, "two");
        assertThat(c.remove(longKey)).isTrue();
        assertThat(c.get(otherLong)).isEqualTo("two");
    }

    /** Not Serializable on purpose. */
    static final class Opaque {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void nonSerializableValue_isAClearCacheException(Cluster cluster) {
        Cache<String, Object> c = open(cluster.newManager(), freshName(), new MutableConfiguration<>());
        assertThatThrownBy(() -> c.put("k", new Opaque())).isInstanceOf(CacheException.class)
                .hasMessageContaining("Serializable").hasMessageContaining(Opaque.class.getName());
        assertThat(c.containsKey("k")).isFalse();
    }

    /** A value type for the custom serializer test. */
    record Point(int x, int y) implements Serializable {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void customSerializer_isUsedForKeysAndValues(Cluster cluster) {
        io.memring.jcache.configuration.MemringConfiguration<String, String> config = new io.memring.jcache.configuration.MemringConfiguration<>();
        config.setSerializerFactory(new FactoryBuilder.SingletonFactory<io.memring.jcache.serialization.Serializer>(new UpperCaseSerializer()));
        Cache<String, String> c = open(cluster.newManager(), freshName(), config);
        c.put("key", "value");
        assertThat(c.get("key")).isEqualTo("VALUE");
    }

    /** Upper-cases strings on the way in: visible proof the configured serializer ran. */
    static final class UpperCaseSerializer implements io.memring.jcache.serialization.Serializer, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Serialized serialize(Object o) {
            return new Serialized(o.toString().toUpperCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8), 77);
        }

        @Override
        public Object deserialize(byte[] bytes, int encoding, ClassLoader loader) {
            assertThat(encoding).isEqualTo(77);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
