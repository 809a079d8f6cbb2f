package io.memring.jcache;

import io.memring.jcache.store.InMemoryStore;
import io.memring.jcache.store.InMemoryStores;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;

/**
 * A CacheManager over in-memory stores with a fake clock: provider logic without sockets. Each
 * instance has its own manager URI.
 */
final class InMemoryCaches implements AutoCloseable {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    final InMemoryStores stores = new InMemoryStores();
    final MemringCachingProvider provider = new MemringCachingProvider();
    final MemringCacheManager manager = new MemringCacheManager(provider, URI.create("memring://in-memory-" + SEQUENCE.incrementAndGet()),
            getClass().getClassLoader(), new Properties(), stores, now::get);

    <K, V> Cache<K, V> create(String name, MutableConfiguration<K, V> configuration) {
        return manager.createCache(name, configuration);
    }

    InMemoryStore store(String name) {
        return stores.forCache(name);
    }

    void advance(long millis) {
        now.addAndGet(millis);
    }

    @Override
    public void close() {
        manager.close();
        provider.close();
    }

    /** Records every event as {@code TYPE key=value old=oldValue}. */
    static final class Recorder implements CacheEntryCreatedListener<String, String>, CacheEntryUpdatedListener<String, String>,
            CacheEntryRemovedListener<String, String>, CacheEntryExpiredListener<String, String> {
        final List<String> events = new CopyOnWriteArrayList<>();

        private void record(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
            for (CacheEntryEvent<? extends String, ? extends String> e : batch) {
                events.add(e.getEventType() + " " + e.getKey() + "=" + e.getValue()
                        + (e.isOldValueAvailable() ? " old=" + e.getOldValue() : ""));
            }
        }

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
            record(batch);
        }

        @Override
        public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
            record(batch);
        }

        @Override
        public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
            record(batch);
        }

        @Override
        public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
            record(batch);
        }

        private final MutableCacheEntryListenerConfiguration<String, String> registration =
                new MutableCacheEntryListenerConfiguration<>(new FactoryBuilder.SingletonFactory<>(this), null, true, true);

        /** A synchronous registration of this recorder that asks for old values (always the same one). */
        MutableCacheEntryListenerConfiguration<String, String> registration() {
            return registration;
        }
    }
}
