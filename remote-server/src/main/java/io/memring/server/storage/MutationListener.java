package io.memring.server.storage;

/**
 * Hears every successful change to the stored data, the seam replication and near-cache
 * invalidation hang from. Every change goes through {@link Mutations}: sets and the other store
 * commands, deletes, meta invalidations, touches (and gat, mg with T), incr/decr (and ma, vivify),
 * evictions, reclaimed dead items, flushes.
 *
 * <p>Called with the key's shard lock held, so per key the calls come in version (CAS) order; an
 * implementation must be quick, must not block and must not call back into {@link Storage}. The
 * {@link ItemView} is valid only during the call: copy what is needed.
 */
public interface MutationListener {

    /** Why an item left the cache. */
    enum Removal {
        /** delete, md, or a set that failed (too large, no memory) and so removed the old value, as memcached does. */
        DELETED,
        /** Pushed out by the LRU or by a page moved to another class. */
        EVICTED,
        /** Past its exptime, found on a read or by the crawler. */
        EXPIRED,
        /** Older than a flush_all, found on a read or by the crawler ({@link #flushed} was already called). */
        FLUSHED
    }

    /** A new state for {@code item}'s key: stored, replaced, appended, counted, touched, invalidated or created. */
    void stored(ItemView item);

    /** {@code item} is about to leave the cache. */
    void removed(ItemView item, Removal cause);

    /** {@code flush_all exptime} was accepted (memcached's rules: 0 = now, up to 30 days relative, else unix time). */
    void flushed(long exptime);

    /**
     * {@code flush_all exptime} was accepted; {@code watermark} is the version at or below which every
     * item is now dead (0 for a delayed flush, which works by time alone). Defaults to {@link #flushed(long)}.
     */
    default void flushed(long exptime, long watermark) {
        flushed(exptime);
    }

    /** A listener that does nothing. */
    MutationListener NONE = new MutationListener() {
        @Override
        public void stored(ItemView item) {
        }

        @Override
        public void removed(ItemView item, Removal cause) {
        }

        @Override
        public void flushed(long exptime) {
        }
    };
}
