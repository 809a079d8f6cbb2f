package io.memring.jcache;

import io.memring.jcache.management.CacheStatistics;
import io.memring.jcache.store.RemoteStore;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.cache.Cache;

/**
 * Walks a snapshot of a cache's server keys, reading each entry when reached: expired and vanished
 * entries are skipped, each entry returned is a hit and an access (for the expiry policy), and
 * {@link #remove()} is {@code Cache.remove(key)} (writer, event, statistics).
 */
final class CacheIterator<K, V> implements Iterator<Cache.Entry<K, V>> {
    private final Iterator<byte[]> serverKeys;
    private final RemoteStore store;
    private final EntryCodec<K, V> codec;
    private final Expiry expiry;
    private final CacheStatistics statistics;
    private final LongSupplier clock;
    private final Runnable checkOpen;
    private final Consumer<K> remover;
    private Cache.Entry<K, V> next;
    private Cache.Entry<K, V> last;

    CacheIterator(List<byte[]> serverKeys, RemoteStore store, EntryCodec<K, V> codec, Expiry expiry, CacheStatistics statistics,
                  LongSupplier clock, Runnable checkOpen, Consumer<K> remover) {
        this.serverKeys = serverKeys.iterator();
        this.store = store;
        this.codec = codec;
        this.expiry = expiry;
        this.statistics = statistics;
        this.clock = clock;
        this.checkOpen = checkOpen;
        this.remover = remover;
    }

    @Override
    public boolean hasNext() {
        checkOpen.run();
        while (next == null && serverKeys.hasNext()) {
            long start = System.nanoTime();
            RemoteStore.KeyedEntry e = store.readServerKey(serverKeys.next());
            long now = clock.getAsLong();
            if (e == null || e.entry().isExpiredAt(now)) {
                continue;
            }
            K key = codec.keyOf(e.keyBytes());
            V value = codec.valueOf(e.entry());
            long exp = expiry.forAccess(now);
            if (exp != Expiry.UNCHANGED && exp != e.entry().expiryMillis()) {
                store.write(e.keyBytes(), e.entry(), e.entry().value(), e.entry().encoding(), exp, now);
            }
            statistics.hits(1);
            statistics.getTime(start);
            next = new MemringEntry<>(key, value);
        }
        return next != null;
    }

    @Override
    public Cache.Entry<K, V> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        last = next;
        next = null;
        return last;
    }

    @Override
    public void remove() {
        checkOpen.run();
        if (last == null) {
            throw new IllegalStateException("next() has not been called, or remove() was already called");
        }
        K key = last.getKey();
        last = null;
        remover.accept(key);
    }
}
