package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.MutableEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Read-through and write-through together: who is called, when, and what is cached after a failure. */
class MemringCacheIntegrationTest {
    private final InMemoryCaches caches = new InMemoryCaches();
    private final InMemoryCaches.Recorder recorder = new InMemoryCaches.Recorder();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        caches.close();
    }

    /** Loads "loaded-" + key, except keys starting with "none". */
    private final CacheLoader<String, String> loader = new CacheLoader<>() {
        @Override
        public String load(String key) {
            calls.add("load " + key);
            return key.startsWith("none") ? null : "loaded-" + key;
        }

        @Override
        public Map<String, String> loadAll(Iterable<? extends String> keys) {
            Map<String, String> out = new HashMap<>();
            for (String k : keys) {
                calls.add("loadAll " + k);
                out.put(k, "loaded-" + k);
            }
            return out;
        }
    };

    /** Records writes and deletes; refuses keys starting with "bad". */
    private final CacheWriter<String, String> writer = new CacheWriter<>() {
        @Override
        public void write(Cache.Entry<? extends String, ? extends String> entry) {
            if (entry.getKey().startsWith("bad")) {
                throw new IllegalStateException("refused " + entry.getKey());
            }
            calls.add("write " + entry.getKey() + "=" + entry.getValue());
        }

        @Override
        public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
            for (var it = entries.iterator(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().startsWith("bad")) {
                    throw new CacheWriterException("refused " + e.getKey());
                }
                calls.add("write " + e.getKey() + "=" + e.getValue());
                it.remove();
            }
        }

        @Override
        public void delete(Object key) {
            if (key.toString().startsWith("bad")) {
                throw new IllegalStateException("refused " + key);
            }
            calls.add("delete " + key);
        }

        @Override
        public void deleteAll(Collection<?> keys) {
            for (var it = keys.iterator(); it.hasNext(); ) {
                Object k = it.next();
                if (k.toString().startsWith("bad")) {
                    throw new CacheWriterException("refused " + k);
                }
                calls.add("delete " + k);
                it.remove();
            }
        }
    };

    /** Stores an entry as another JVM would have (no writer, no events here). */
    private void plant(String key, String value) {
        EntryCodec<String, String> codec = new EntryCodec<>(new io.memring.jcache.serialization.DefaultSerializer(), getClass().getClassLoader());
        var v = codec.serialize(value);
        caches.store("integration").plant(codec.keyBytes(key), v.bytes(), v.encoding(), 0);
    }

    private Cache<String, String> cache() {
        return caches.create("integration", new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                .setReadThrough(true).setWriteThrough(true)
                .setCacheLoaderFactory(new FactoryBuilder.SingletonFactory<>(loader))
                .setCacheWriterFactory(new FactoryBuilder.SingletonFactory<>(writer))
                .addCacheEntryListenerConfiguration(recorder.registration()));
    }

    @Test
    void readThrough_loadsOnce_storesWithACreatedEvent_andNeverWritesTheLoadedValueBack() {
        Cache<String, String> c = cache();
        assertThat(c.get("k")).isEqualTo("loaded-k");
        assertThat(c.get("k")).isEqualTo("loaded-k");
        assertThat(calls).containsExactly("load k");
        assertThat(recorder.events).containsExactly("CREATED k=loaded-k");
    }

    @Test
    void readThrough_loaderWithNothing_isAMiss_andStoresNothing() {
        Cache<String, String> c = cache();
        assertThat(c.get("none")).isNull();
        assertThat(c.containsKey("none")).isFalse();
        assertThat(recorder.events).isEmpty();
    }

    @Test
    void writerRefusal_onPut_leavesTheCacheUnchanged_andSurfacesACacheWriterException() {
        Cache<String, String> c = cache();
        assertThatThrownBy(() -> c.put("bad", "v")).isInstanceOf(CacheWriterException.class);
        assertThat(c.containsKey("bad")).isFalse();
        assertThat(recorder.events).isEmpty();
    }

    @Test
    void putAll_withAPartialWriterFailure_cachesExactlyWhatWasWritten() {
        Cache<String, String> c = cache();
        Map<String, String> batch = new java.util.LinkedHashMap<>();
        batch.put("a", "1");
        batch.put("bad", "2");
        batch.put("c", "3");
        assertThatThrownBy(() -> c.putAll(batch)).isInstanceOf(CacheWriterException.class);
        assertThat(c.containsKey("a")).isTrue();
        assertThat(c.containsKey("bad")).isFalse();
        assertThat(c.containsKey("c")).isFalse(); // the writer stopped before it
    }

    @Test
    void removeAll_withAPartialWriterFailure_keepsWhatTheWriterCouldNotDelete() {
        Cache<String, String> c = cache();
        c.putAll(Map.of("a", "1", "c", "3"));
        plant("bad", "x");
        Set<String> keys = new LinkedHashSet<>(List.of("a", "bad", "c"));
        assertThatThrownBy(() -> c.removeAll(keys)).isInstanceOf(CacheWriterException.class);
        assertThat(c.containsKey("a")).isFalse();
        assertThat(c.containsKey("bad")).isTrue();
    }

    @Test
    void invoke_setValue_writesThrough_butALoadInsideAProcessorDoesNot() {
        Cache<String, String> c = cache();
        c.invoke("p", (MutableEntry<String, String> e, Object... args) -> {
            e.setValue("set");
            return null;
        });
        String seen = c.invoke("q", (MutableEntry<String, String> e, Object... args) -> e.getValue());
        assertThat(seen).isEqualTo("loaded-q");
        assertThat(calls).containsExactly("write p=set", "load q");
        assertThat(c.get("q")).isEqualTo("loaded-q");
    }

    @Test
    void loadAll_withoutReplace_loadsOnlyAbsentKeys_inOneBatch() throws Exception {
        Cache<String, String> c = cache();
        c.put("present", "mine");
        calls.clear();
        caches.store("integration").resetCalls();
        CompletableFuture<Void> done = new CompletableFuture<>();
        c.loadAll(Set.of("present", "x", "y"), false, new CompletionListener() {
            @Override
            public void onCompletion() {
                done.complete(null);
            }

            @Override
            public void onException(Exception e) {
                done.completeExceptionally(e);
            }
        });
        done.get(10, TimeUnit.SECONDS);
        assertThat(calls).containsExactlyInAnyOrder("loadAll x", "loadAll y");
        assertThat(c.get("present")).isEqualTo("mine");
        assertThat(c.get("x")).isEqualTo("loaded-x");
        assertThat(caches.store("integration").calls("readMany")).isEqualTo(1); // presence read at once, not per key
        assertThat(caches.store("integration").calls("read")).isEqualTo(2 + 2); // the 2 loaded puts + the 2 gets above
    }

    @Test
    void remove_writerRefusal_keepsTheEntry() {
        Cache<String, String> c = cache();
        plant("bad", "x");
        assertThatThrownBy(() -> c.remove("bad")).isInstanceOf(CacheWriterException.class);
        assertThat(c.containsKey("bad")).isTrue();
        List<String> none = new ArrayList<>();
        assertThat(calls).isEqualTo(none);
    }
}
