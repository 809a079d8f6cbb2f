package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.jcache.configuration.MemringConfiguration;
import io.memring.jcache.management.CacheStatistics;
import io.memring.jcache.near.NearCacheStats;
import io.memring.jcache.store.InMemoryStore;
import io.memring.jcache.store.InMemoryStores;
import io.memring.jcache.store.RemoteStore.KeyedEntry;
import io.memring.jcache.store.StoredEntry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MemringCache.get's near-hit path (no transaction) against the slow path: the same scenario on a
 * cache with a near cache and on one without must make the same ExpiryPolicy calls, record the same
 * statistics and events and leave the same entry on the store; and a near hit must not wait for a
 * transaction in flight on its key (the proof that it skips them).
 */
class NearHitPathTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final long START = 1_700_000_000_000L;
    private final AtomicLong now = new AtomicLong(START);
    private final InMemoryStores stores = new InMemoryStores();
    private final MemringCachingProvider provider = new MemringCachingProvider();
    private final MemringCacheManager manager = new MemringCacheManager(provider,
            URI.create("memring://near-hit-" + SEQUENCE.incrementAndGet()), getClass().getClassLoader(), new Properties(), stores,
            now::get);

    @AfterEach
    void close() {
        manager.close();
        provider.close();
    }

    /** Counts every call; answers access with {@code access} (null = unchanged). */
    static final class CountingPolicy implements ExpiryPolicy {
        final AtomicInteger creation = new AtomicInteger();
        final AtomicInteger update = new AtomicInteger();
        final AtomicInteger access = new AtomicInteger();
        private final Duration accessAnswer;
        private final Duration creationAnswer;

        CountingPolicy(Duration creationAnswer, Duration accessAnswer) {
            this.creationAnswer = creationAnswer;
            this.accessAnswer = accessAnswer;
        }

        @Override
        public Duration getExpiryForCreation() {
            creation.incrementAndGet();
            return creationAnswer;
        }

        @Override
        public Duration getExpiryForAccess() {
            access.incrementAndGet();
            return accessAnswer;
        }

        @Override
        public Duration getExpiryForUpdate() {
            update.incrementAndGet();
            return null;
        }
    }

    private Cache<String, String> cache(String name, boolean near, ExpiryPolicy policy, InMemoryCaches.Recorder recorder) {
        MutableConfiguration<String, String> base = new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                .setStatisticsEnabled(true)
                .setExpiryPolicyFactory(new FactoryBuilder.SingletonFactory<>(policy))
                .addCacheEntryListenerConfiguration(recorder.registration());
        return manager.createCache(name, new MemringConfiguration<>(base).setNearCacheMaxEntries(near ? 100 : 0));
    }

    private static CacheStatistics statistics(Cache<String, String> c) {
        @SuppressWarnings("unchecked")
        MemringCache<String, String> m = c.unwrap(MemringCache.class);
        return m.statistics();
    }

    /** The one entry on the store: its expiry (-1 if none). */
    private long storedExpiry(String name) {
        InMemoryStore s = stores.forCache(name);
        var pages = s.scan(10);
        if (!pages.hasNext()) {
            return -1;
        }
        List<KeyedEntry> page = pages.next();
        return page.isEmpty() ? -1 : page.get(0).entry().expiryMillis();
    }

    /** Everything a scenario observably did: policy calls, statistics, events, the stored expiry. */
    private String outcome(String name, Cache<String, String> c, CountingPolicy p, InMemoryCaches.Recorder r, List<String> got) {
        CacheStatistics s = statistics(c);
        return "got=" + got + " creation=" + p.creation + " update=" + p.update + " access=" + p.access
                + " hits=" + s.getCacheHits() + " misses=" + s.getCacheMisses() + " puts=" + s.getCachePuts()
                + " removals=" + s.getCacheRemovals() + " events=" + r.events + " expiry=" + storedExpiry(name);
    }

    /** put, then reads (advancing the clock 100 ms before each), on a cache with or without a near cache. */
    private String scenario(boolean near, Duration creation, Duration access, int reads) {
        String name = (near ? "near-" : "far-") + SEQUENCE.incrementAndGet();
        now.set(START); // both variants on the same clock readings
        CountingPolicy p = new CountingPolicy(creation, access);
        InMemoryCaches.Recorder r = new InMemoryCaches.Recorder();
        Cache<String, String> c = cache(name, near, p, r);
        c.put("k", "v");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < reads; i++) {
            now.addAndGet(100);
            got.add(c.get("k"));
        }
        if (near) {
            assertThat(c.unwrap(NearCacheStats.class).getNearHits()).as("reads answered near").isPositive();
        }
        return outcome(name, c, p, r, got);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unchanged", "ten-seconds", "zero", "eternal"})
    void hit_makesTheSameExpiryCalls_statisticsAndWrites_asTheSlowPath(String accessAnswer) {
        Duration access = switch (accessAnswer) {
            case "unchanged" -> null;
            case "ten-seconds" -> new Duration(TimeUnit.SECONDS, 10);
            case "zero" -> Duration.ZERO;
            default -> Duration.ETERNAL;
        };
        Duration creation = new Duration(TimeUnit.SECONDS, 60);
        String slow = scenario(false, creation, access, 3);
        String fast = scenario(true, creation, access, 3);
        assertThat(fast).isEqualTo(slow);
        assertThat(slow).contains("access=" + (access == Duration.ZERO ? 1 : 3)); // a zero access expiry ends the entry
    }

    @Test
    void expiredNearEntry_isAMissWithTheExpiredEvent_asOnTheSlowPath() {
        Duration creation = new Duration(TimeUnit.MILLISECONDS, 250);
        String slow = scenario(false, creation, null, 3);
        String fast = scenario(true, creation, null, 3);
        assertThat(fast).isEqualTo(slow);
        assertThat(fast).contains("got=[v, v, null]").contains("EXPIRED k=v").contains("hits=2 misses=1");
    }

    @Test
    void miss_readsThrough_thenHits() {
        CountingPolicy p = new CountingPolicy(Duration.ETERNAL, null);
        InMemoryCaches.Recorder r = new InMemoryCaches.Recorder();
        AtomicInteger loads = new AtomicInteger();
        CacheLoader<String, String> loader = new CacheLoader<>() {
            @Override
            public String load(String key) {
                loads.incrementAndGet();
                return "loaded-" + key;
            }

            @Override
            public java.util.Map<String, String> loadAll(Iterable<? extends String> keys) {
                throw new UnsupportedOperationException();
            }
        };
        MutableConfiguration<String, String> base = new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                .setStatisticsEnabled(true).setReadThrough(true)
                .setCacheLoaderFactory(new FactoryBuilder.SingletonFactory<>(loader))
                .setExpiryPolicyFactory(new FactoryBuilder.SingletonFactory<>(p))
                .addCacheEntryListenerConfiguration(r.registration());
        Cache<String, String> c = manager.createCache("loading", new MemringConfiguration<>(base).setNearCacheMaxEntries(100));
        assertThat(c.get("a")).isEqualTo("loaded-a");
        assertThat(c.get("a")).isEqualTo("loaded-a");
        assertThat(loads).hasValue(1);
        assertThat(p.creation).hasValue(1);
        assertThat(p.access).hasValue(1);
        assertThat(statistics(c).getCacheMisses()).isEqualTo(1);
        assertThat(statistics(c).getCacheHits()).isEqualTo(1);
        assertThat(statistics(c).getCachePuts()).isZero(); // a load is no put
        assertThat(c.unwrap(NearCacheStats.class).getNearHits()).isEqualTo(1);
    }

    @Test
    void hit_isStoreByValue_aNewObjectEachTime() {
        Cache<String, String> c = cache("by-value", true, new CountingPolicy(Duration.ETERNAL, null), new InMemoryCaches.Recorder());
        c.put("k", "v");
        stores.forCache("by-value").resetCalls();
        String first = c.get("k");
        assertThat(first).isEqualTo("v").isNotSameAs(c.get("k"));
        assertThat(stores.forCache("by-value").calls("read")).isZero();
    }

    /** The value bytes are not copied before decoding on a hit: a caller changing its byte[] must not change the near copy. */
    @Test
    void byteArrayHit_changingTheReturnedArray_leavesTheCachedValueAlone() {
        MutableConfiguration<String, byte[]> base = new MutableConfiguration<String, byte[]>().setTypes(String.class, byte[].class);
        Cache<String, byte[]> c = manager.createCache("bytes", new MemringConfiguration<>(base).setNearCacheMaxEntries(100));
        c.put("k", new byte[] {1, 2, 3});
        byte[] first = c.get("k");
        first[0] = 9;
        assertThat(c.get("k")).containsExactly(1, 2, 3);
        assertThat(c.unwrap(NearCacheStats.class).getNearHits()).isEqualTo(2);
    }

    /**
     * Another client changes the entry between the near read and the access expiry's CAS: the fast path
     * falls back and the slow path retries (asking the policy again), exactly as a cache without a near
     * cache does when it loses the same race.
     */
    @Test
    void lostAccessExpiryCas_fallsBackLikeTheSlowPathsRetry() {
        String slow = raceScenario(false);
        String fast = raceScenario(true);
        assertThat(fast).isEqualTo(slow);
        assertThat(fast).contains("access=2").contains("hits=1");
    }

    private String raceScenario(boolean near) {
        String name = (near ? "race-near-" : "race-far-") + SEQUENCE.incrementAndGet();
        now.set(START);
        CountingPolicy p = new CountingPolicy(Duration.ETERNAL, new Duration(TimeUnit.SECONDS, 10));
        InMemoryCaches.Recorder r = new InMemoryCaches.Recorder();
        Cache<String, String> c = cache(name, near, p, r);
        c.put("k", "v");
        InMemoryStore s = stores.forCache(name);
        s.interfereOnce(store -> {
            KeyedEntry e = store.scan(10).next().get(0);
            StoredEntry cur = e.entry();
            store.plant(e.keyBytes(), cur.value(), cur.encoding(), cur.expiryMillis()); // same value, new version
        });
        return outcome(name, c, p, r, List.of(c.get("k")));
    }

    /** Fails before the fast path: get took the key's transaction lock, held by a put whose writer is busy. */
    @Test
    void hit_doesNotWaitForATransactionInFlightOnTheKey() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger writes = new AtomicInteger();
        CacheWriter<String, String> writer = new CacheWriter<>() {
            @Override
            public void write(Cache.Entry<? extends String, ? extends String> entry) {
                if (writes.incrementAndGet() == 2) {
                    writing.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public void writeAll(java.util.Collection<Cache.Entry<? extends String, ? extends String>> entries) {
            }

            @Override
            public void delete(Object key) {
            }

            @Override
            public void deleteAll(java.util.Collection<?> keys) {
            }
        };
        MutableConfiguration<String, String> base = new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                .setWriteThrough(true).setCacheWriterFactory(new FactoryBuilder.SingletonFactory<>(writer))
                .setExpiryPolicyFactory(new FactoryBuilder.SingletonFactory<>(new CountingPolicy(Duration.ETERNAL, null)));
        Cache<String, String> c = manager.createCache("busy", new MemringConfiguration<>(base).setNearCacheMaxEntries(100));
        c.put("k", "v1");
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> c.put("k", "v2"));
        try {
            assertThat(writing.await(10, TimeUnit.SECONDS)).as("the second put reached its writer").isTrue();
            CompletableFuture<String> get = CompletableFuture.supplyAsync(() -> c.get("k"));
            assertThat(get.get(5, TimeUnit.SECONDS)).isEqualTo("v1"); // the put has not written yet
        } finally {
            release.countDown();
            put.get(10, TimeUnit.SECONDS);
        }
        assertThat(c.get("k")).isEqualTo("v2");
    }
    // ------------------------------------------------------------------ the hit's key lookup and store-by-value

    /**
     * A String key's hit is looked up without serializing the key: after the node's invalidation of the
     * server key it must read the new value, and before it must not have read the store at all.
     */
    @Test
    void stringKeyHit_servesTheNearCopyUntilTheServerKeyIsInvalidated() {
        Cache<String, String> c = cache("invalidated", true, new CountingPolicy(Duration.ETERNAL, null), new InMemoryCaches.Recorder());
        c.put("k", "v1");
        InMemoryStore s = stores.forCache("invalidated");
        KeyedEntry e = s.scan(10).next().get(0);
        s.plant(e.keyBytes(), "v2".getBytes(java.nio.charset.StandardCharsets.UTF_8), e.entry().encoding(), 0); // another client
        s.resetCalls();
        assertThat(c.get("k")).isEqualTo("v1");
        assertThat(s.calls("read")).isZero();
        c.unwrap(io.memring.jcache.near.NearCacheStore.class).invalidate(s.serverKey(e.keyBytes()));
        assertThat(c.get("k")).isEqualTo("v2");
        assertThat(s.calls("read")).isEqualTo(1);
        assertThat(c.get("k")).isEqualTo("v2");
        assertThat(s.calls("read")).isEqualTo(1); // installed again, found again without serializing
    }

    /**
     * Keys whose equals disagrees with their serialized form, and Strings that serialize alike ("?" and
     * a lone surrogate, which UTF-8 writes as "?"): a near cache answers exactly what a cache without one
     * answers, since the key is whatever the serializer makes of it.
     */
    @Test
    void keysWhoseEqualsDiffersFromTheirBytes_getWhatTheSlowPathGets() {
        assertThat(looseKeyScenario(true)).isEqualTo(looseKeyScenario(false)).isEqualTo("[1, null, 1, a, a]");
    }

    private String looseKeyScenario(boolean near) {
        String name = (near ? "loose-near-" : "loose-far-") + SEQUENCE.incrementAndGet();
        Cache<Object, String> c = manager.createCache(name,
                new MemringConfiguration<>(new MutableConfiguration<Object, String>()).setNearCacheMaxEntries(near ? 100 : 0));
        c.put(new LooseKey("id", "note-1", "t1"), "1");
        c.put("?", "a");
        List<String> got = new ArrayList<>();
        got.add(c.get(new LooseKey("id", "note-1", "t1")));
        got.add(c.get(new LooseKey("id", "note-2", "t1"))); // equal, but other bytes: another key
        got.add(c.get(new LooseKey("id", "note-1", "t2"))); // not equal, but the same bytes: the same key
        got.add(c.get("\ud800"));
        got.add(c.get("?"));
        return got.toString();
    }

    /** A key whose equals ignores a serialized field and compares a transient one. */
    static final class LooseKey implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final String id;
        final String note;
        final transient String transientTag;

        LooseKey(String id, String note, String transientTag) {
            this.id = id;
            this.note = note;
            this.transientTag = transientTag;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LooseKey k && id.equals(k.id) && java.util.Objects.equals(transientTag, k.transientTag);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }
    }

    /** Store-by-value both ways: changing the key passed or the value put or got never changes what the cache holds. */
    @Test
    void mutableKeyAndValue_callersChangesNeverReachTheNearCopy() {
        Cache<Object, Object> c = manager.createCache("mutable",
                new MemringConfiguration<>(new MutableConfiguration<Object, Object>()).setNearCacheMaxEntries(100));
        ArrayList<String> key = new ArrayList<>(List.of("a"));
        ArrayList<String> value = new ArrayList<>(List.of("v"));
        c.put(key, value);
        key.add("b");
        value.add("w");
        assertThat(c.get(new ArrayList<>(List.of("a")))).isEqualTo(List.of("v"));
        @SuppressWarnings("unchecked")
        List<String> got = (List<String>) c.get(new ArrayList<>(List.of("a")));
        got.add("x");
        assertThat(c.get(new ArrayList<>(List.of("a")))).isEqualTo(List.of("v"));
        assertThat(c.get(key)).isNull(); // the changed key is another key
        assertThat(c.unwrap(NearCacheStats.class).getNearHits()).isEqualTo(3);
        c.put("s", "text");
        String s = (String) c.get("s");
        assertThat(s).isEqualTo("text").isNotSameAs(c.get("s"));
    }

    /** An eternal entry under an eternal or unchanged access expiry, statistics off: a hit reads no clock. */
    @Test
    void eternalHit_readsTheClockOnlyWhenTheEntryCanExpire() {
        AtomicInteger reads = new AtomicInteger();
        MemringCacheManager m = new MemringCacheManager(provider, URI.create("memring://near-hit-clock-" + SEQUENCE.incrementAndGet()),
                getClass().getClassLoader(), new Properties(), stores, () -> {
                    reads.incrementAndGet();
                    return now.get();
                });
        try {
            for (Duration access : new Duration[] {null, Duration.ETERNAL}) {
                CountingPolicy p = new CountingPolicy(Duration.ETERNAL, access);
                Cache<String, String> c = m.createCache("eternal-" + SEQUENCE.incrementAndGet(), new MemringConfiguration<>(
                        new MutableConfiguration<String, String>().setExpiryPolicyFactory(new FactoryBuilder.SingletonFactory<>(p)))
                        .setNearCacheMaxEntries(10));
                c.put("k", "v");
                reads.set(0);
                assertThat(c.get("k")).isEqualTo("v");
                assertThat(reads).hasValue(0);
                assertThat(p.access).hasValue(1);
            }
            CountingPolicy p = new CountingPolicy(new Duration(TimeUnit.SECONDS, 60), null);
            Cache<String, String> c = m.createCache("finite", new MemringConfiguration<>(
                    new MutableConfiguration<String, String>().setExpiryPolicyFactory(new FactoryBuilder.SingletonFactory<>(p)))
                    .setNearCacheMaxEntries(10));
            c.put("k", "v");
            reads.set(0);
            assertThat(c.get("k")).isEqualTo("v");
            assertThat(reads).hasValue(1); // the entry can expire: the hit checks it
            now.addAndGet(60_000);
            assertThat(c.get("k")).isNull();
        } finally {
            m.close();
        }
    }
    /** getAll answers near hits without reading the store, with the same effects as without a near cache. */
    @ParameterizedTest
    @ValueSource(strings = {"unchanged", "ten-seconds"})
    void getAll_nearHits_haveTheSlowPathsEffects(String accessAnswer) {
        Duration access = accessAnswer.equals("unchanged") ? null : new Duration(TimeUnit.SECONDS, 10);
        String slow = getAllScenario(false, access);
        String fast = getAllScenario(true, access);
        assertThat(fast).isEqualTo(slow);
        assertThat(slow).contains(access == null ? "got=[{a=1, b=2}, {a=1, b=2}, {}]" : "got=[{a=1, b=2}, {a=1, b=2}, {a=1, b=2}]");
    }

    private String getAllScenario(boolean near, Duration access) {
        String name = (near ? "all-near-" : "all-far-") + SEQUENCE.incrementAndGet();
        now.set(START);
        CountingPolicy p = new CountingPolicy(new Duration(TimeUnit.MILLISECONDS, 250), access);
        InMemoryCaches.Recorder r = new InMemoryCaches.Recorder();
        Cache<String, String> c = cache(name, near, p, r);
        c.put("a", "1");
        c.put("b", "2");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            now.addAndGet(100);
            got.add(new java.util.TreeMap<>(c.getAll(new java.util.LinkedHashSet<>(List.of("a", "b", "c")))).toString());
        }
        if (near) {
            assertThat(c.unwrap(NearCacheStats.class).getNearHits()).as("answered near").isGreaterThanOrEqualTo(2);
        }
        CacheStatistics s = statistics(c);
        return "got=" + got + " creation=" + p.creation + " update=" + p.update + " access=" + p.access
                + " hits=" + s.getCacheHits() + " misses=" + s.getCacheMisses() + " events=" + r.events;
    }
    /**
     * A custom serializer may write a String as anything, even with the built-in String tag: its keys
     * must take the serializing path. This one writes Strings reversed, so "ab" is stored where the
     * built-in serializer would put "ba": a lookup that assumed the built-in form would serve the other key's value.
     */
    @Test
    void customSerializer_stringKeysTakeTheSerializingPath() {
        MutableConfiguration<String, String> base = new MutableConfiguration<String, String>().setTypes(String.class, String.class);
        Cache<String, String> c = manager.createCache("reversed", new MemringConfiguration<>(base).setNearCacheMaxEntries(100)
                .setSerializerFactory(new FactoryBuilder.SingletonFactory<>(new ReversingSerializer())));
        c.put("ab", "x");
        c.put("ba", "y");
        assertThat(c.get("ab")).isEqualTo("x");
        assertThat(c.get("ba")).isEqualTo("y");
        assertThat(c.getAll(new java.util.LinkedHashSet<>(List.of("ab", "ba")))).containsEntry("ab", "x").containsEntry("ba", "y");
        assertThat(c.unwrap(NearCacheStats.class).getNearHits()).isEqualTo(4);
    }

    /** Strings reversed, under the built-in String tag; anything else as the default serializer writes it. */
    static final class ReversingSerializer implements io.memring.jcache.serialization.Serializer {
        private final io.memring.jcache.serialization.DefaultSerializer other = new io.memring.jcache.serialization.DefaultSerializer();

        @Override
        public Serialized serialize(Object o) {
            if (o instanceof String s) {
                return new Serialized(new StringBuilder(s).reverse().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        io.memring.jcache.serialization.DefaultSerializer.STRING);
            }
            return other.serialize(o);
        }

        @Override
        public Object deserialize(byte[] bytes, int encoding, ClassLoader classLoader) {
            if (encoding == io.memring.jcache.serialization.DefaultSerializer.STRING) {
                return new StringBuilder(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).reverse().toString();
            }
            return other.deserialize(bytes, encoding, classLoader);
        }
    }
}
