package io.memring.jcache;

import io.memring.jcache.store.RemoteStore.KeyedEntry;
import io.memring.jcache.store.StoredEntry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import javax.cache.Cache;

/**
 * Walks a scan of the cache a page at a time (each page read at once): expired and vanished entries
 * are skipped, each entry returned is a hit and an access (for the expiry policy), and
 * {@link #remove()} is {@code Cache.remove(key)} (writer, event, statistics).
 */
final class CacheIterator<K, V> implements Iterator<Cache.Entry<K, V>> {
    private final Iterator<List<KeyedEntry>> pages;
    private final CacheParts<K, V> parts;
    private final Runnable requireOpen;
    private final Consumer<K> remover;
    private final Deque<KeyedEntry> page = new ArrayDeque<>();
    private Cache.Entry<K, V> next;
    private Cache.Entry<K, V> last;

    CacheIterator(Iterator<List<KeyedEntry>> pages, CacheParts<K, V> parts, Runnable requireOpen, Consumer<K> remover) {
        this.pages = pages;
        this.parts = parts;
        this.requireOpen = requireOpen;
        this.remover = remover;
    }

    @Override
    public boolean hasNext() {
        requireOpen.run();
        while (next == null && (!page.isEmpty() || pages.hasNext())) {
            if (page.isEmpty()) {
                long start = System.nanoTime();
                page.addAll(pages.next());
                parts.statistics().getTime(start);
                continue;
            }
            next = visit(page.poll());
        }
        return next != null;
    }

    /** Returns the entry, or null if it has expired; applies the access expiry. */
    private Cache.Entry<K, V> visit(KeyedEntry e) {
        long now = parts.clock().getAsLong();
        StoredEntry stored = e.entry();
        if (stored.isExpiredAt(now)) {
            return null;
        }
        K key = parts.codec().keyOf(e.keyBytes());
        V value = parts.codec().valueOf(stored);
        long exp = parts.expiry().forAccess(now);
        if (exp != Expiry.UNCHANGED && exp != stored.expiryMillis()) {
            parts.store().write(e.keyBytes(), stored, stored.value(), stored.encoding(), exp, now);
        }
        parts.statistics().hits(1);
        return new MemringEntry<>(key, value);
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
        requireOpen.run();
        if (last == null) {
            throw new IllegalStateException("next() has not been called, or remove() was already called");
        }
        K key = last.getKey();
        last = null;
        remover.accept(key);
    }
}
