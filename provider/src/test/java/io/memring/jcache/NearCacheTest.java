package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.jcache.configuration.MemringConfiguration;
import io.memring.jcache.near.NearCacheStats;
import io.memring.jcache.near.NearCacheStore;
import io.memring.jcache.store.InMemoryStore;
import io.memring.jcache.store.InMemoryStores;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The near cache inside a CacheManager: which caches get one, hits as cache hits, read-your-writes,
 * two CacheManagers of one JVM invalidating each other at once, statistics through unwrap and JMX.
 * In-memory stores (no pushes: mode NONE); the reservation rule itself is in NearCacheStoreTest.
 */
class NearCacheTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final InMemoryStores stores = new InMemoryStores();
    private final MemringCachingProvider provider = new MemringCachingProvider();

    private MemringCacheManager manager(String... properties) {
        Properties p = new Properties();
        for (int i = 0; i + 1 < properties.length; i += 2) {
            p.setProperty(properties[i], properties[i + 1]);
        }
        return new MemringCacheManager(provider, URI.create("memring://near-" + SEQUENCE.incrementAndGet()), getClass().getClassLoader(),
                p, stores, now::get);
    }

    @AfterEach
    void close() {
        provider.close();
    }

    private static MutableConfiguration<String, String> strings() {
        return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    }

    @Test
    void managerSetting_givesEveryCacheANearCache_andAConfigurationTurnsItOff() {
        MemringCacheManager m = manager("memring.nearCache.maxEntries", "10");
        Cache<String, String> near = m.createCache("near", strings());
        Cache<String, String> far = m.createCache("far", new MemringConfiguration<>(strings()).setNearCacheMaxEntries(0));
        assertThat(near.unwrap(NearCacheStore.class)).isNotNull();
        assertThat(far.unwrap(MemringCache.class).unwrap(InMemoryStore.class)).isNotNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> far.unwrap(NearCacheStats.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noSetting_noNearCache() {
        Cache<String, String> c = manager().createCache("c", strings());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.unwrap(NearCacheStore.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void get_afterPut_isANearHitAndACacheHit() {
        MemringCacheManager m = manager();
        Cache<String, String> c = m.createCache("c", new MemringConfiguration<>(strings()).setNearCacheMaxEntries(10)
                .setStatisticsEnabled(true));
        c.put("k", "v");
        InMemoryStore remote = stores.forCache("c");
        remote.resetCalls();
        assertThat(c.get("k")).isEqualTo("v");
        assertThat(c.get("k")).isNotSameAs(c.get("k")); // store-by-value: a new object per hit
        assertThat(remote.calls("read")).isZero();
        NearCacheStats stats = c.unwrap(NearCacheStats.class);
        assertThat(stats.getNearHits()).isEqualTo(3);
        assertThat(((MemringCache<String, String>) c.unwrap(MemringCache.class)).statistics().getCacheHits()).isEqualTo(3);
    }

    @Test
    void twoManagers_aWriteInOneInvalidatesTheOthersNearCopyBeforeItReturns() {
        MemringCacheManager one = manager("memring.nearCache.maxEntries", "10");
        MemringCacheManager two = manager("memring.nearCache.maxEntries", "10");
        Cache<String, String> a = one.createCache("shared", strings());
        Cache<String, String> b = two.createCache("shared", strings());
        a.put("k", "v1");
        assertThat(b.get("k")).isEqualTo("v1"); // now near in b
        a.put("k", "v2");
        assertThat(b.get("k")).isEqualTo("v2");
        a.remove("k");
        assertThat(b.get("k")).isNull();
        a.put("k", "v3");
        assertThat(b.get("k")).isEqualTo("v3");
        a.clear();
        assertThat(b.get("k")).isNull();
        assertThat(b.unwrap(NearCacheStats.class).getClears()).isEqualTo(1);
    }

    @Test
    void destroyCache_andClose_dropTheNearCopies() {
        MemringCacheManager m = manager("memring.nearCache.maxEntries", "10");
        Cache<String, String> c = m.createCache("c", strings());
        c.put("k", "v");
        NearCacheStore near = c.unwrap(NearCacheStore.class);
        assertThat(near.size()).isEqualTo(1);
        m.destroyCache("c");
        assertThat(near.size()).isZero();
        Cache<String, String> d = m.createCache("d", strings());
        d.put("k", "v");
        NearCacheStore nearD = d.unwrap(NearCacheStore.class);
        d.close();
        assertThat(nearD.size()).isZero();
    }

    @Test
    void statisticsEnabled_registersTheNearCacheBean() throws Exception {
        MemringCacheManager m = manager("memring.nearCache.maxEntries", "10");
        Cache<String, String> c = m.createCache("jmx", strings().setStatisticsEnabled(true));
        c.put("k", "v");
        c.get("k");
        ObjectName name = new ObjectName("io.memring:type=NearCache,CacheManager=" + m.getURI().toString().replace(':', '.') + ",Cache=jmx");
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(name, "NearHits")).isEqualTo(1L);
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(name, "Mode")).isEqualTo("NONE");
        m.enableStatistics("jmx", false);
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(name)).isFalse();
    }

    @Test
    void configuration_keepsTheNearCacheSettings() {
        Cache<String, String> c = manager().createCache("c", new MemringConfiguration<>(strings()).setNearCacheMaxEntries(7)
                .setNearCacheTtlMillis(1234));
        @SuppressWarnings("unchecked")
        MemringConfiguration<String, String> copy = c.getConfiguration(MemringConfiguration.class);
        assertThat(copy.getNearCacheMaxEntries()).isEqualTo(7);
        assertThat(copy.getNearCacheTtlMillis()).isEqualTo(1234L);
    }

    @Test
    void nearHit_withAnAccessExpiry_makesThePolicyCallAndWritesTheNewExpiryToTheStore() {
        java.util.concurrent.atomic.AtomicInteger accessCalls = new java.util.concurrent.atomic.AtomicInteger();
        MemringCacheManager m = manager("memring.nearCache.maxEntries", "10");
        Cache<String, String> c = m.createCache("c", strings().setExpiryPolicyFactory(() -> new javax.cache.expiry.ExpiryPolicy() {
            @Override
            public javax.cache.expiry.Duration getExpiryForCreation() {
                return javax.cache.expiry.Duration.ONE_HOUR;
            }

            @Override
            public javax.cache.expiry.Duration getExpiryForAccess() {
                accessCalls.incrementAndGet();
                return new javax.cache.expiry.Duration(java.util.concurrent.TimeUnit.MINUTES, 5);
            }

            @Override
            public javax.cache.expiry.Duration getExpiryForUpdate() {
                return null;
            }
        }));
        c.put("k", "v");
        InMemoryStore remote = stores.forCache("c");
        remote.resetCalls();
        assertThat(c.get("k")).isEqualTo("v");
        assertThat(remote.calls("read")).isZero(); // a near hit
        assertThat(accessCalls).hasValue(1); // with the policy's call, as a remote read makes it
        assertThat(remote.calls("cas")).isEqualTo(1); // and the changed expiry written to the store
        long expected = now.get() + java.util.concurrent.TimeUnit.MINUTES.toMillis(5);
        assertThat(remote.scan(10).next().get(0).entry().expiryMillis()).isEqualTo(expected);
        assertThat(c.get("k")).isEqualTo("v"); // the new expiry was installed with the write: still near
        assertThat(remote.calls("read")).isZero();
        assertThat(c.unwrap(NearCacheStats.class).getNearHits()).isEqualTo(2);
    }
}
