package io.memring.jcache;

import io.memring.jcache.event.EventDispatcher;
import io.memring.jcache.management.CacheStatistics;
import io.memring.jcache.serialization.Serializer;
import io.memring.jcache.store.RemoteStore;
import io.memring.jcache.store.StoredEntry;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic single-key operations on the ring: read the entry, let the operation decide, apply the
 * decision with one conditional write (add, CAS set, CAS delete), and start over if another client
 * got there first, after a {@linkplain Backoff bounded, jittered pause}. A striped lock keeps this
 * JVM's threads from racing each other on one key. Only the committed attempt's events and
 * statistics are published, and the CacheWriter hears of an operation once: an attempt that
 * repeats the write (or delete) an earlier attempt already made does not call it again.
 *
 * <p>An item under the key that is not a Memring entry ({@link StoredEntry#isForeign()}) is no
 * mapping: the attempt sees the key as absent, but a write replaces the item (CAS on it, not an
 * {@code add} that could never succeed) and {@link Attempt#removeUnmapped()} deletes it. put and
 * remove(key) treat an entry whose value cannot be read the same way ({@link Attempt#readable()});
 * operations that return or compare the old value report it with a {@code CacheException}.
 */
final class KeyTransactions<K, V> {
    /** Returned by an operation that lost a race: read again and retry. */
    static final Object RETRY = new Object();
    /** Returned by an operation that committed with no result. */
    static final Object DONE = new Object();

    static final int MAX_ATTEMPTS = 64;
    private static final Logger log = LoggerFactory.getLogger(KeyTransactions.class);

    private final RemoteStore store;
    private final EntryCodec<K, V> codec;
    private final EventDispatcher<K, V> events;
    private final CacheStatistics statistics;
    private final Integration<K, V> integration;
    private final LongSupplier clock;
    private final ReentrantLock[] locks = new ReentrantLock[64];

    KeyTransactions(RemoteStore store, EntryCodec<K, V> codec, EventDispatcher<K, V> events, CacheStatistics statistics,
                    Integration<K, V> integration, LongSupplier clock) {
        this.store = store;
        this.codec = codec;
        this.events = events;
        this.statistics = statistics;
        this.integration = integration;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** What one operation has told the CacheWriter so far, across its attempts. */
    private final class WriterCalls {
        private boolean wrote;
        private Object written;
        private boolean deleted;

        void write(K key, V value) {
            if (wrote && Objects.equals(written, value)) {
                return;
            }
            integration.write(key, value);
            wrote = true;
            written = value;
            deleted = false;
        }

        void delete(K key) {
            if (deleted) {
                return;
            }
            integration.delete(key);
            deleted = true;
            wrote = false;
            written = null;
        }
    }

    /** One attempt at an operation on one key: the entry as read, and the conditional writes. */
    final class Attempt {
        final K key;
        final byte[] kb;
        final long now;
        final EventDispatcher<K, V>.Batch batch = events.batch();
        private final WriterCalls writer;
        /** The entry, a foreign entry, or null when absent (an expired entry has been removed first). */
        StoredEntry current;
        private V value;
        private boolean unreadable;
        long hits;
        long misses;
        long puts;
        long removals;

        Attempt(K key, byte[] kb, WriterCalls writer) {
            this.key = key;
            this.kb = kb;
            this.writer = writer;
            this.now = clock.getAsLong();
            this.current = store.read(kb);
        }

        /** Whether the key holds a Memring entry (a foreign item is no mapping). */
        boolean present() {
            return current != null && !current.isForeign();
        }

        V value() {
            if (value == null && present()) {
                value = codec.valueOf(current);
            }
            return value;
        }

        /** Write-through of {@code newValue}, unless an earlier attempt of this operation wrote it. */
        void writeThrough(V newValue) {
            writer.write(key, newValue);
        }

        /** Write-through delete, unless an earlier attempt of this operation deleted. */
        void deleteThrough() {
            writer.delete(key);
        }

        /** Removes an expired entry (EXPIRED event); false if someone changed it meanwhile. */
        boolean dropIfExpired() {
            if (present() && current.isExpiredAt(now)) {
                V old = value();
                if (!store.remove(kb, current)) {
                    return false;
                }
                batch.expired(key, old);
                current = null;
                value = null;
            }
            return true;
        }

        /**
         * Whether the key holds a Memring entry whose value this cache can read. put and remove(key)
         * ask this rather than {@link #present()}: an entry they cannot read (a class the cache may not
         * deserialize, a value of another type, corrupt bytes) must not make the key unwritable, so
         * they treat it as they treat a foreign item.
         */
        boolean readable() {
            if (!present()) {
                return false;
            }
            if (unreadable) {
                return false;
            }
            try {
                value();
                return true;
            } catch (CacheException e) {
                log.debug("cache entry under key {} cannot be read; replacing or removing it: {}", key, e.getMessage());
                unreadable = true;
                return false;
            }
        }

        /**
         * Deletes what occupies the key without being a readable mapping (a foreign item, or an entry
         * {@link #readable()} refused); no event, since it was no mapping. False on a lost race.
         */
        boolean removeUnmapped() {
            if (current == null || readable()) {
                return true;
            }
            if (!store.remove(kb, current)) {
                return false;
            }
            current = null;
            return true;
        }

        /**
         * Writes a new value; false if someone changed the key since it was read. Replaces a foreign
         * item (CAS on it) rather than adding.
         */
        boolean write(V newValue, long expiryAt) {
            Serializer.Serialized s = codec.serialize(newValue);
            return store.write(kb, current, s.bytes(), s.encoding(), expiryAt, now);
        }

        /** Re-writes the current value with a new expiry (access/update expiry changes). */
        boolean touch(long expiryAt) {
            if (expiryAt == Expiry.UNCHANGED || expiryAt == current.expiryMillis()) {
                return true;
            }
            return store.write(kb, current, current.value(), current.encoding(), expiryAt, now);
        }

        boolean remove() {
            return store.remove(kb, current);
        }

        /** Returns {@code expiryAt}, or the current expiry when the policy left it unchanged. */
        long keepOr(long expiryAt) {
            return expiryAt == Expiry.UNCHANGED ? current.expiryMillis() : expiryAt;
        }
    }

    /**
     * Runs {@code body} until it commits: it returns a result (or {@link #DONE}), or {@link #RETRY}
     * after a lost race.
     */
    @SuppressWarnings("unchecked")
    <R> R run(K key, Function<Attempt, Object> body) {
        byte[] kb = codec.keyBytes(key);
        ReentrantLock lock = locks[Math.floorMod(Arrays.hashCode(kb), locks.length)];
        WriterCalls writer = new WriterCalls();
        lock.lock();
        Attempt committed = null;
        Object result = null;
        try {
            for (int i = 0; i < MAX_ATTEMPTS && committed == null; i++) {
                if (i > 0) {
                    Backoff.pause(i);
                }
                Attempt a = new Attempt(key, kb, writer);
                if (!a.dropIfExpired()) {
                    continue;
                }
                Object r = body.apply(a);
                if (r != RETRY) {
                    committed = a;
                    result = r;
                }
            }
            if (committed == null) {
                throw new CacheException("gave up on key " + key + " after " + MAX_ATTEMPTS + " concurrent modifications");
            }
        } finally {
            lock.unlock();
        }
        statistics.hits(committed.hits);
        statistics.misses(committed.misses);
        statistics.puts(committed.puts);
        statistics.removals(committed.removals);
        committed.batch.dispatch();
        return result == DONE ? null : (R) result;
    }
}
