package io.memring.jcache.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/** One {@link InMemoryStore} per cache name; the same name gives the same store (as on a ring). */
public final class InMemoryStores implements RemoteStores {
    private final ConcurrentMap<String, InMemoryStore> stores = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    @Override
    public InMemoryStore forCache(String cacheName) {
        return stores.computeIfAbsent(cacheName, n -> new InMemoryStore(versions));
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        return clazz.isInstance(this) ? clazz.cast(this) : null;
    }

    @Override
    public void close() {
    }
}
