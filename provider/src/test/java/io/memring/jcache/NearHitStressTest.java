package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.jcache.configuration.MemringConfiguration;
import io.memring.jcache.near.NearCacheStore;
import io.memring.jcache.store.InMemoryStore;
import io.memring.jcache.store.InMemoryStores;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Readers on String keys (the lookup without serializing) race another client's writes, each followed by
 * the node's invalidation: a get that starts after invalidation i returned never answers a value older
 * than write i, for keys whose hashes collide and keys of both lookup paths (short ASCII, non-ASCII).
 */
class NearHitStressTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private final InMemoryStores stores = new InMemoryStores();
    private final MemringCachingProvider provider = new MemringCachingProvider();
    private final MemringCacheManager manager = new MemringCacheManager(provider,
            URI.create("memring://near-stress-" + SEQUENCE.incrementAndGet()), getClass().getClassLoader(), new Properties(), stores,
            System::currentTimeMillis);

    @AfterEach
    void close() {
        manager.close();
        provider.close();
    }

    @Test
    void readersNeverSeeAValueOlderThanTheLastCompletedInvalidation() throws Exception {
        Cache<String, String> c = manager.createCache("stress", new MemringConfiguration<>(
                new MutableConfiguration<String, String>().setTypes(String.class, String.class)).setNearCacheMaxEntries(100));
        NearCacheStore near = c.unwrap(NearCacheStore.class);
        InMemoryStore store = stores.forCache("stress");
        String[] keys = {"Aa", "BB", "\u00e9t\u00e9"};
        for (String k : keys) {
            c.put(k, k + ":0");
        }
        // the stored key bytes of each key, from the store itself (the serialized form)
        List<byte[]> keyBytes = new ArrayList<>();
        store.scan(10).forEachRemaining(page -> page.forEach(e -> keyBytes.add(e.keyBytes())));
        assertThat(keyBytes).hasSize(keys.length);
        AtomicLong[] completed = new AtomicLong[keys.length];
        for (int i = 0; i < keys.length; i++) {
            completed[i] = new AtomicLong();
        }
        AtomicBoolean stop = new AtomicBoolean();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int n = 1; n <= 3_000 && System.nanoTime() < deadline; n++) {
                for (int i = 0; i < keys.length; i++) {
                    byte[] kb = keyBytes.get(i);
                    String key = new String(kb, 1, kb.length - 1, StandardCharsets.UTF_8);
                    int idx = java.util.Arrays.asList(keys).indexOf(key);
                    store.plant(kb, (key + ":" + n).getBytes(StandardCharsets.UTF_8), 1, 0);
                    near.invalidate(store.serverKey(kb));
                    completed[idx].set(n);
                }
            }
            stop.set(true);
        });
        List<CompletableFuture<Integer>> readers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            readers.add(CompletableFuture.supplyAsync(() -> {
                int checks = 0;
                while (!stop.get() && System.nanoTime() < deadline) {
                    for (int i = 0; i < keys.length; i++) {
                        long floor = completed[i].get();
                        String v = c.get(keys[i]);
                        assertThat(v).startsWith(keys[i] + ":");
                        long got = Long.parseLong(v.substring(keys[i].length() + 1));
                        assertThat(got).as("key %s read after invalidation %d", keys[i], floor).isGreaterThanOrEqualTo(floor);
                        checks++;
                    }
                }
                return checks;
            }));
        }
        writer.get(30, TimeUnit.SECONDS);
        for (CompletableFuture<Integer> r : readers) {
            assertThat(r.get(30, TimeUnit.SECONDS)).isPositive();
        }
        assertThat(near.stats().getNearHits()).isPositive();
    }
}
