package io.memring.jcache.store;

/** Where a CacheManager's caches keep their entries: one {@link RemoteStore} per cache name. */
public interface RemoteStores extends AutoCloseable {

    /** Returns the store of the named cache (its own namespace). */
    RemoteStore forCache(String cacheName);

    /**
     * Returns where the named cache hears other clients' changes, or null when these nodes push none
     * (stock memcached; in-memory stores).
     */
    default ChangeSource changes(String cacheName) {
        return null;
    }

    /** Returns the underlying client if it is a {@code clazz} (for {@code unwrap}), else null. */
    <T> T unwrap(Class<T> clazz);

    /** Releases the connections. */
    @Override
    void close();
}
