package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.jcache.configuration.MemringConfiguration;
import io.memring.jcache.serialization.DefaultSerializer;
import io.memring.jcache.serialization.Serializer;
import io.memring.jcache.store.RemoteStore;
import java.io.Closeable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import javax.cache.processor.MutableEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A closed cache, closing with resources that fail, and the configuration handed out. */
class MemringCacheLifecycleTest {
    private final InMemoryCaches caches = new InMemoryCaches();

    @AfterEach
    void close() {
        caches.close();
    }

    @Test
    void closedCache_refusesEveryOperation_butStillAnswersWhatItIs() {
        Cache<String, String> c = caches.create("closed", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        c.put("k", "v");
        Iterator<Cache.Entry<String, String>> it = c.iterator();
        c.close();
        c.close(); // idempotent
        List<Consumer<Cache<String, String>>> operations = List.of(
                x -> x.get("k"), x -> x.getAll(Set.of("k")), x -> x.containsKey("k"), x -> x.put("k", "v"),
                x -> x.getAndPut("k", "v"), x -> x.putAll(Map.of("k", "v")), x -> x.putIfAbsent("k", "v"),
                x -> x.remove("k"), x -> x.remove("k", "v"), x -> x.getAndRemove("k"), x -> x.replace("k", "v", "w"),
                x -> x.replace("k", "v"), x -> x.getAndReplace("k", "v"), x -> x.removeAll(Set.of("k")), Cache::removeAll,
                Cache::clear, x -> x.loadAll(Set.of("k"), true, null), Cache::iterator,
                x -> x.invoke("k", (MutableEntry<String, String> e, Object... a) -> null),
                x -> x.invokeAll(Set.of("k"), (MutableEntry<String, String> e, Object... a) -> null),
                x -> x.remove(null, null), x -> x.replace(null, null, null));
        for (int i = 0; i < operations.size(); i++) {
            Consumer<Cache<String, String>> op = operations.get(i);
            assertThatThrownBy(() -> op.accept(c)).as("operation %d", i).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(it::hasNext).isInstanceOf(IllegalStateException.class);
        assertThat(c.isClosed()).isTrue();
        assertThat(c.getName()).isEqualTo("closed");
        assertThat(c.getCacheManager()).isSameAs(caches.manager);
        assertThat(c.getConfiguration(CompleteConfiguration.class).getKeyType()).isEqualTo(String.class);
        assertThat(caches.manager.getCache("closed")).isNull();
    }

    /** Records its close; throws when asked to. */
    public static final class ClosingLoader implements CacheLoader<String, String>, CacheWriter<String, String>, Closeable {
        static final List<String> CLOSED = new CopyOnWriteArrayList<>();
        private final String name;
        private final boolean fail;

        ClosingLoader(String name, boolean fail) {
            this.name = name;
            this.fail = fail;
        }

        @Override
        public String load(String key) {
            return null;
        }

        @Override
        public Map<String, String> loadAll(Iterable<? extends String> keys) {
            return Map.of();
        }

        @Override
        public void write(Cache.Entry<? extends String, ? extends String> entry) {
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

        @Override
        public void close() throws java.io.IOException {
            CLOSED.add(name);
            if (fail) {
                throw new java.io.IOException(name + " failed to close");
            }
        }
    }

    @Test
    void close_aLoaderThatFails_doesNotStopTheWriterFromClosing_andBothFailuresAreCollected() {
        ClosingLoader.CLOSED.clear();
        MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
                .setCacheLoaderFactory(new FactoryBuilder.SingletonFactory<>(new ClosingLoader("loader", true)))
                .setCacheWriterFactory(new FactoryBuilder.SingletonFactory<>(new ClosingLoader("writer", true)))
                .setWriteThrough(true);
        MemringCache<String, String> c = caches.create("close-failures", config).unwrap(MemringCache.class);
        javax.cache.CacheException failure = c.closeResources();
        assertThat(ClosingLoader.CLOSED).containsExactly("loader", "writer");
        assertThat(failure).isNotNull().hasMessageContaining("close-failures");
        assertThat(failure.getSuppressed()).hasSize(2);
        assertThat(failure.getSuppressed()[0]).hasRootCauseMessage("loader failed to close");
        assertThat(failure.getSuppressed()[1]).hasRootCauseMessage("writer failed to close");
    }

    /** A serializer that is not the default, to see it survive getConfiguration. */
    public static final class TaggedSerializer implements Serializer {
        private final Serializer inner = new DefaultSerializer();

        @Override
        public Serialized serialize(Object object) {
            return inner.serialize(object);
        }

        @Override
        public Object deserialize(byte[] bytes, int encoding, ClassLoader classLoader) {
            return inner.deserialize(bytes, encoding, classLoader);
        }
    }

    @Test
    void getConfiguration_ofMemringConfiguration_keepsTheSerializer_andIsACopy() {
        Factory<Serializer> serializer = new FactoryBuilder.ClassFactory<>(TaggedSerializer.class.getName());
        Cache<String, String> c = caches.create("memring-config", new MemringConfiguration<String, String>()
                .setSerializerFactory(serializer).setTypes(String.class, String.class));
        @SuppressWarnings("unchecked")
        MemringConfiguration<String, String> got = c.getConfiguration(MemringConfiguration.class);
        assertThat(got.getSerializerFactory()).isEqualTo(serializer);
        assertThat(got.getKeyType()).isEqualTo(String.class);
        got.setStatisticsEnabled(true);
        assertThat(c.getConfiguration(CompleteConfiguration.class).isStatisticsEnabled()).isFalse();
    }

    @Test
    void getConfiguration_ofEachJCacheType_isGiven_andOfAnUnrelatedType_isRefused() {
        Cache<String, String> c = caches.create("other-config", new MutableConfiguration<String, String>());
        for (Class<?> type : List.of(javax.cache.configuration.Configuration.class, CompleteConfiguration.class, MutableConfiguration.class,
                MemringConfiguration.class)) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object got = c.getConfiguration((Class) type);
            assertThat(got).isInstanceOf(type);
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<MutableConfiguration<String, String>> other = (Class) OtherConfiguration.class;
        assertThatThrownBy(() -> c.getConfiguration(other)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A configuration type the cache does not have. */
    abstract static class OtherConfiguration<K, V> extends MutableConfiguration<K, V> {
    }

    @Test
    void unwrap_reachesTheStore() {
        Cache<String, String> c = caches.create("unwrap", new MutableConfiguration<String, String>());
        assertThat(c.unwrap(RemoteStore.class)).isSameAs(caches.store("unwrap"));
        assertThatThrownBy(() -> c.unwrap(String.class)).isInstanceOf(IllegalArgumentException.class);
    }
}
