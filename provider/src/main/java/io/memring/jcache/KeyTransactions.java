package io.memring.jcache;

import io.memring.jcache.event.EventDispatcher;
import io.memring.jcache.management.CacheStatistics;
import io.memring.jcache.serialization.Serializer;
import io.memring.jcache.store.RemoteStore;
import io.memring.jcache.store.StoredEntry;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import javax.cache.CacheException;

/**
 * Atomic single-key operations on the ring: read the entry, let the operation decide, apply the
 * decision with one conditional write (add, CAS set, CAS delete), and start over if another client
 * got there first. A striped lock keeps this JVM's threads from racing each other on one key, so
 * side effects (writer, loader, expiry policy) run again only when another JVM raced us. Only the
 * committed attempt's events and statistics are published.
 */
final class KeyTransactions<K, V> {
    /** Returned by an operation that lost a race: read again and retry. */
    static final Object RETRY = new Object();
    /** Returned by an operation that committed with no result. */
    static final Object DONE = new Object();

    private static final int MAX_ATTEMPTS = 64;

    private final RemoteStore store;
    private final EntryCodec<K, V> codec;
    private final EventDispatcher<K, V> events;
    private final CacheStatistics statistics;
    private final LongSupplier clock;
    private final ReentrantLock[] locks = new ReentrantLock[64];

    KeyTransactions(RemoteStore store, EntryCodec<K, V> codec, EventDispatcher<K, V> events, CacheStatistics statistics,
                    LongSupplier clock) {
        this.store = store;
        this.codec = codec;
        this.events = events;
        this.statistics = statistics;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** One attempt at an operation on one key: the entry as read, and the conditional writes. */
    final class Attempt {
        final K key;
        final byte[] kb;
        final long now;
        final EventDispatcher<K, V>.Batch batch = events.batch();
        /** The entry, or null when absent (an expired entry has been removed first). */
        StoredEntry current;
        private V value;
        long hits;
        long misses;
        long puts;
        long removals;

        Attempt(K key, byte[] kb) {
            this.key = key;
            this.kb = kb;
            this.now = clock.getAsLong();
            this.current = store.read(kb);
        }

        boolean present() {
            return current != null;
        }

        V value() {
            if (value == null && current != null) {
                value = codec.valueOf(current);
            }
            return value;
        }

        /** Removes an expired entry (EXPIRED event); false if someone changed it meanwhile. */
        boolean dropIfExpired() {
            if (current != null && current.isExpiredAt(now)) {
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

        /** Writes a new value; false if someone changed the key since it was read. */
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
        lock.lock();
        Attempt committed = null;
        Object result = null;
        try {
            for (int i = 0; i < MAX_ATTEMPTS && committed == null; i++) {
                Attempt a = new Attempt(key, kb);
                if (!a.dropIfExpired()) {
                    continue;
                }
                Object r = body.apply(a);
                if (r != RETRY) {
                    committed = a;
                    result = r;
                } else {
                    Thread.onSpinWait();
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
