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

    /**
     * As {@link #stored(ItemView)}, knowing what the change replaced. {@code previous} is the item
     * replaced (its value is the old value), {@code item} itself when the value did not change (touch,
     * gat, md with I), or null: when {@code created} there was no live item before, otherwise the old
     * value is gone (incr/decr rewritten in place). Both views are valid only during the call. Defaults
     * to {@link #stored(ItemView)}, so a listener that needs no old state pays nothing for it.
     */
    default void stored(ItemView item, ItemView previous, boolean created) {
        stored(item);
    }

    /**
     * incr/decr (or {@code ma}) changed the count of the live item {@code item}; {@code oldValue} is the
     * count's bytes before, exactly as a read would have returned them (memcached's space padding
     * included), under the item's own client flags. The array is the listener's to keep. Defaults to
     * {@link #stored(ItemView, ItemView, boolean) stored(item, null, false)}: the old value unknown.
     */
    default void counted(ItemView item, byte[] oldValue) {
        stored(item, null, false);
    }

    /**
     * A peer's {@code flush_all} was applied here (a replica apply: never shipped on, but this node's
     * items died all the same): {@code unixTime} the delayed flush's time (0 = none), {@code watermark}
     * the version at or below which every item is now dead (0 = none). Defaults to nothing.
     */
    default void flushApplied(long unixTime, long watermark) {
    }

    /** Returns a listener that hands every report to {@code first}, then to {@code second}. */
    static MutationListener both(MutationListener first, MutationListener second) {
        return new MutationListener() {
            @Override
            public void stored(ItemView item) {
                first.stored(item);
                second.stored(item);
            }

            @Override
            public void stored(ItemView item, ItemView previous, boolean created) {
                first.stored(item, previous, created);
                second.stored(item, previous, created);
            }

            @Override
            public void counted(ItemView item, byte[] oldValue) {
                first.counted(item, oldValue);
                second.counted(item, oldValue);
            }

            @Override
            public void removed(ItemView item, Removal cause) {
                first.removed(item, cause);
                second.removed(item, cause);
            }

            @Override
            public void flushed(long exptime) {
                first.flushed(exptime);
                second.flushed(exptime);
            }

            @Override
            public void flushed(long exptime, long watermark) {
                first.flushed(exptime, watermark);
                second.flushed(exptime, watermark);
            }

            @Override
            public void flushApplied(long unixTime, long watermark) {
                first.flushApplied(unixTime, watermark);
                second.flushApplied(unixTime, watermark);
            }
        };
    }

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
