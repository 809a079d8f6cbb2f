package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.jcache.store.InMemoryStore;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whole-cache and many-key operations cost store calls per page, not per entry: each store call is a
 * round trip (or one pipelined batch per node) on the ring.
 */
class MemringCacheBatchTest {
    private static final int ENTRIES = 600; // three pages
    private final InMemoryCaches caches = new InMemoryCaches();
    private final InMemoryCaches.Recorder recorder = new InMemoryCaches.Recorder();

    @AfterEach
    void close() {
        caches.close();
    }

    private Cache<String, String> filled(String name) {
        Cache<String, String> c = caches.create(name, new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                .addCacheEntryListenerConfiguration(recorder.registration()));
        Map<String, String> entries = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            entries.put("k" + i, "v" + i);
        }
        c.putAll(entries);
        caches.store(name).resetCalls();
        recorder.events.clear();
        return c;
    }

    @Test
    void removeAll_deletesAPageAtATime_withoutReadingEntriesOneByOne() {
        Cache<String, String> c = filled("batch-removeAll");
        InMemoryStore store = caches.store("batch-removeAll");
        c.removeAll();
        assertThat(store.size()).isZero();
        assertThat(recorder.events).hasSize(ENTRIES).allMatch(e -> e.startsWith("REMOVED "));
        assertThat(store.calls("removeMany")).isEqualTo((ENTRIES + MemringCache.PAGE_SIZE - 1) / MemringCache.PAGE_SIZE);
        assertThat(store.calls("read")).isZero();
        assertThat(store.calls("remove")).isZero();
    }

    @Test
    void removeAllOfKeys_isOneReadAndOneDelete() {
        Cache<String, String> c = filled("batch-removeKeys");
        InMemoryStore store = caches.store("batch-removeKeys");
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < 100; i++) {
            keys.add("k" + i);
        }
        c.removeAll(keys);
        assertThat(store.size()).isEqualTo(ENTRIES - 100);
        assertThat(recorder.events).hasSize(100);
        assertThat(store.calls("readMany")).isEqualTo(1);
        assertThat(store.calls("removeMany")).isEqualTo(1);
        assertThat(store.calls("read")).isZero();
    }

    @Test
    void iteration_readsAPageAtATime() {
        Cache<String, String> c = filled("batch-iterate");
        InMemoryStore store = caches.store("batch-iterate");
        AtomicInteger n = new AtomicInteger();
        c.forEach(e -> {
            assertThat(e.getValue()).isEqualTo("v" + e.getKey().substring(1));
            n.incrementAndGet();
        });
        assertThat(n).hasValue(ENTRIES);
        assertThat(store.calls("scanPage")).isEqualTo((ENTRIES + MemringCache.PAGE_SIZE - 1) / MemringCache.PAGE_SIZE);
        assertThat(store.calls("read")).isZero();
    }

    @Test
    void clear_isOneStoreCall_andLeavesNothing() {
        Cache<String, String> c = filled("batch-clear");
        InMemoryStore store = caches.store("batch-clear");
        c.clear();
        assertThat(store.size()).isZero();
        assertThat(store.calls("clear")).isEqualTo(1);
        assertThat(recorder.events).isEmpty();
    }
}
