package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.jcache.configuration.MemringConfiguration;
import io.memring.jcache.management.CacheStatistics;
import io.memring.jcache.near.NearCacheStats;
import io.memring.jcache.store.InMemoryStores;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.Duration;
import javax.cache.integration.CacheLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Review of the near-hit fast path (String lookup without serializing, getAll near first, statistics
 * gating): every scenario runs on a cache with a near cache and on one without, and both must answer
 * and record exactly the same.
 */
class NearHitAttackTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final long START = 1_700_000_000_000L;
    private final AtomicLong now = new AtomicLong(START);
    private final InMemoryStores stores = new InMemoryStores();
    private final MemringCachingProvider provider = new MemringCachingProvider();
    private final MemringCacheManager manager = new MemringCacheManager(provider,
            URI.create("memring://near-attack-" + SEQUENCE.incrementAndGet()), getClass().getClassLoader(), new Properties(), stores,
            now::get);

    @AfterEach
    void close() {
        manager.close();
        provider.close();
    }

    private static CacheStatistics statistics(Cache<?, ?> c) {
        return c.unwrap(MemringCache.class).statistics();
    }

    /**
     * Keys whose hashes collide ("Aa"/"BB"), control characters, space, DEL, NUL, non-ASCII, the empty
     * String, Strings around the length limit, and non-String keys with the same bytes as a String key:
     * each get and getAll answers that key's own value, twice (the second time from the near cache).
     */
    @Test
    void oddAndCollidingKeys_eachAnswerTheirOwnValue_nearAsFar() {
        String near = oddKeysScenario(true);
        String far = oddKeysScenario(false);
        assertThat(near).isEqualTo(far);
    }

    private String oddKeysScenario(boolean nearOn) {
        String name = (nearOn ? "odd-near-" : "odd-far-") + SEQUENCE.incrementAndGet();
        Cache<Object, String> c = manager.createCache(name,
                new MemringConfiguration<>(new MutableConfiguration<Object, String>()).setNearCacheMaxEntries(nearOn ? 1000 : 0));
        List<Object> keys = new ArrayList<>(List.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "a b", "a\u0000b", "a\u007fb", "a\tb",
                "a\rb\n", "\u00e9", "e\u0301", "", "1", "2", 'A', "A", 1, 1L, "\ud800", "?"));
        for (int len : new int[] {183, 184, 185, 186, 187, 250, 251}) {
            keys.add("x".repeat(len));
            keys.add(" ".repeat(len));
        }
        for (int i = 0; i < keys.size(); i++) {
            c.put(keys.get(i), "v" + i);
        }
        c.put(new byte[] {'A', 'a'}, "bytes-Aa"); // same bytes as the String "Aa", another encoding
        List<String> got = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (Object k : keys) {
                got.add(c.get(k));
            }
            LinkedHashSet<Object> all = new LinkedHashSet<>(keys);
            Map<Object, String> many = c.getAll(all);
            for (Object k : keys) {
                got.add(many.get(k));
            }
        }
        if (nearOn) {
            assertThat(c.unwrap(NearCacheStats.class).getNearHits()).as("answered near").isGreaterThanOrEqualTo(keys.size() * 3L);
        }
        return got.toString();
    }

    /**
     * Statistics switched off and on again at runtime (the MXBean's setStatisticsEnabled) between hits:
     * a hit counts exactly while statistics are on, and the average get time stays sane.
     */
    @Test
    void statisticsToggledAtRuntime_countOnlyWhileOn_nearAsFar() {
        String near = toggleScenario(true);
        String far = toggleScenario(false);
        assertThat(near).isEqualTo(far).contains("hits=3 misses=1");
    }

    private String toggleScenario(boolean nearOn) {
        String name = (nearOn ? "toggle-near-" : "toggle-far-") + SEQUENCE.incrementAndGet();
        Cache<String, String> c = manager.createCache(name, new MemringConfiguration<>(
                new MutableConfiguration<String, String>().setTypes(String.class, String.class).setStatisticsEnabled(true))
                .setNearCacheMaxEntries(nearOn ? 100 : 0));
        c.put("k", "v");
        c.get("k");
        c.get("nope");
        manager.enableStatistics(name, false);
        c.get("k");
        c.get("k");
        c.getAll(new LinkedHashSet<>(List.of("k", "nope")));
        manager.enableStatistics(name, true);
        c.get("k");
        c.getAll(new LinkedHashSet<>(List.of("k")));
        CacheStatistics s = statistics(c);
        assertThat(s.getAverageGetTime()).isBetween(0f, (float) TimeUnit.SECONDS.toMicros(10));
        return "hits=" + s.getCacheHits() + " misses=" + s.getCacheMisses() + " gets=" + s.getCacheGets();
    }

    /**
     * getAll over a mix: near hits (eternal and finite), an entry that expired since it was cached, a miss
     * the loader fills, a miss the loader leaves empty; twice, advancing the clock. Values, loader calls,
     * ExpiryPolicy calls, statistics, events and what is left on the store match a cache without a near cache.
     */
    @Test
    void getAllMix_withReadThrough_matchesTheSlowPath() {
        String near = mixScenario(true);
        String far = mixScenario(false);
        assertThat(near).isEqualTo(far);
        assertThat(near).contains("EXPIRED short=s");
    }

    private String mixScenario(boolean nearOn) {
        String name = (nearOn ? "mix-near-" : "mix-far-") + SEQUENCE.incrementAndGet();
        now.set(START);
        NearHitPathTest.CountingPolicy p = new NearHitPathTest.CountingPolicy(new Duration(TimeUnit.SECONDS, 60),
                new Duration(TimeUnit.SECONDS, 30));
        InMemoryCaches.Recorder r = new InMemoryCaches.Recorder();
        List<String> loaded = new ArrayList<>();
        CacheLoader<String, String> loader = new CacheLoader<>() {
            @Override
            public String load(String key) {
                loaded.add(key);
                return key.startsWith("load") ? "L-" + key : null;
            }

            @Override
            public Map<String, String> loadAll(Iterable<? extends String> keys) {
                throw new UnsupportedOperationException();
            }
        };
        MutableConfiguration<String, String> base = new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                .setStatisticsEnabled(true).setReadThrough(true)
                .setCacheLoaderFactory(new FactoryBuilder.SingletonFactory<>(loader))
                .setExpiryPolicyFactory(new FactoryBuilder.SingletonFactory<>(p))
                .addCacheEntryListenerConfiguration(r.registration());
        Cache<String, String> c = manager.createCache(name, new MemringConfiguration<>(base).setNearCacheMaxEntries(nearOn ? 100 : 0));
        c.put("a", "1");
        c.put("b", "2");
        c.put("short", "s");
        c.get("a");
        c.get("short");
        now.addAndGet(45_000); // "short" (access expiry 30 s from its read) has expired, "a" and "b" not
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            got.add(new TreeMap<>(c.getAll(new LinkedHashSet<>(List.of("a", "short", "load-1", "none", "b")))).toString());
            now.addAndGet(1_000);
        }
        CacheStatistics s = statistics(c);
        TreeMap<String, Long> left = new TreeMap<>();
        stores.forCache(name).scan(100).forEachRemaining(page -> page.forEach(e -> left.put(
                new String(e.keyBytes(), java.nio.charset.StandardCharsets.UTF_8), e.entry().expiryMillis())));
        return "got=" + got + " loaded=" + loaded + " creation=" + p.creation + " update=" + p.update + " access=" + p.access
                + " hits=" + s.getCacheHits() + " misses=" + s.getCacheMisses() + " puts=" + s.getCachePuts()
                + " evictions=" + s.getCacheEvictions() + " events=" + r.events + " left=" + left;
    }

    /**
     * The near copy is out of date (another client wrote; its invalidation is still on the way) and the
     * access expiry's compare-and-set proves it: get's near hit then reads the nodes (the new value), and
     * getAll must do the same rather than answer the copy its own write just found stale.
     */
    @Test
    void getAll_nearCopyProvenStaleByTheAccessExpiryCas_readsTheNodesAsGetDoes() {
        assertThat(staleCopyScenario(false)).isEqualTo("get=v2 getAll={k=v2}");
        assertThat(staleCopyScenario(true)).isEqualTo("get=v2 getAll={k=v2}");
    }

    private String staleCopyScenario(boolean viaGet) {
        String name = "stale-copy-" + SEQUENCE.incrementAndGet();
        NearHitPathTest.CountingPolicy p = new NearHitPathTest.CountingPolicy(Duration.ETERNAL, new Duration(TimeUnit.SECONDS, 10));
        Cache<String, String> c = manager.createCache(name, new MemringConfiguration<>(new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class).setExpiryPolicyFactory(new FactoryBuilder.SingletonFactory<>(p)))
                .setNearCacheMaxEntries(100));
        c.put("k", "v1");
        io.memring.jcache.store.InMemoryStore s = stores.forCache(name);
        var e = s.scan(10).next().get(0);
        s.plant(e.keyBytes(), "v2".getBytes(java.nio.charset.StandardCharsets.UTF_8), e.entry().encoding(), 0); // no invalidation yet
        if (viaGet) {
            String got = c.get("k");
            return "get=" + got + " getAll=" + c.getAll(new LinkedHashSet<>(List.of("k")));
        }
        Map<String, String> all = c.getAll(new LinkedHashSet<>(List.of("k")));
        return "get=" + c.get("k") + " getAll=" + all;
    }
}
