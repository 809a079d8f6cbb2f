package io.memring.jcache.store;

import io.memring.client.MemcacheClient;

/** The caches of one CacheManager on one ring, sharing one client. */
public final class RingStores implements RemoteStores {
    private final MemcacheClient client;

    public RingStores(MemcacheClient client) {
        this.client = client;
    }

    @Override
    public RemoteStore forCache(String cacheName) {
        return new RingStore(client, cacheName);
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        return clazz.isInstance(client) ? clazz.cast(client) : null;
    }

    @Override
    public void close() {
        client.close();
    }
}
