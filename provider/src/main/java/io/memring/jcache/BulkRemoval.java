package io.memring.jcache;

import io.memring.jcache.event.EventDispatcher;
import io.memring.jcache.management.CacheStatistics;
import io.memring.jcache.store.RemoteStore;
import io.memring.jcache.store.RemoteStore.KeyedEntry;
import io.memring.jcache.store.StoredEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import javax.cache.CacheException;
import javax.cache.integration.CacheWriterException;

/**
 * {@code removeAll()} and {@code removeAll(keys)} without a round trip per entry: entries are read in
 * pipelined batches (a page of a scan, or all the given keys at once), the writer's {@code deleteAll}
 * sees each batch once, and what was read is deleted in one compare-and-delete batch; only an entry
 * another client changed in between takes the single-key path. Events (REMOVED, or EXPIRED for an
 * entry already past its expiry) carry the values as read.
 */
final class BulkRemoval<K, V> {
    /** Entries read and deleted at once. */
    static final int PAGE_SIZE = 256;
    /** Scans that come back empty end {@code removeAll()}; this bounds the repeats. */
    private static final int MAX_SCANS = 10;
    /**
     * Stock memcached's crawler skips an item while a connection still holds it, so an empty scan
     * right after deleting is confirmed by one more after this pause.
     */
    private static final long CONFIRM_PAUSE_MILLIS = 50;

    private final RemoteStore store;
    private final EntryCodec<K, V> codec;
    private final Integration<K, V> integration;
    private final EventDispatcher<K, V> events;
    private final CacheStatistics statistics;
    private final LongSupplier clock;
    private final ToLongFunction<K> removeOne;

    /** @param removeOne removes one key without write-through (the single-key path); returns 1 if a live entry went */
    BulkRemoval(CacheParts<K, V> parts, ToLongFunction<K> removeOne) {
        this.store = parts.store();
        this.codec = parts.codec();
        this.integration = parts.integration();
        this.events = parts.events();
        this.statistics = parts.statistics();
        this.clock = parts.clock();
        this.removeOne = removeOne;
    }

    /**
     * Reads the keys in one pipelined batch, then deletes what was read in another; only keys another
     * client changed in between take the single-key path.
     */
    void removeAll(Set<? extends K> keys) {
        long start = System.nanoTime();
        Set<K> toRemove = new LinkedHashSet<>(keys);
        CacheWriterException failure = null;
        if (integration.writeThrough()) {
            Set<K> notDeleted = new HashSet<>(keys);
            failure = integration.deleteAll(notDeleted);
            toRemove.removeAll(notDeleted); // the writer kept what it could not delete
        }
        List<K> ordered = new ArrayList<>(toRemove);
        List<byte[]> keyBytes = new ArrayList<>(ordered.size());
        ordered.forEach(k -> keyBytes.add(codec.keyBytes(k)));
        Map<Integer, StoredEntry> found = store.readMany(keyBytes);
        List<K> foundKeys = new ArrayList<>(found.size());
        List<KeyedEntry> entries = new ArrayList<>(found.size());
        for (int i = 0; i < ordered.size(); i++) {
            StoredEntry e = found.get(i);
            if (e != null) {
                foundKeys.add(ordered.get(i));
                entries.add(new KeyedEntry(keyBytes.get(i), e));
            }
        }
        if (removeRead(foundKeys, entries) > 0) {
            statistics.removeTime(start);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Deletes entries as they were read, in one pipelined batch (REMOVED events, or EXPIRED for an
     * entry already past its expiry); an entry changed since it was read is removed by the single-key
     * path. Returns how many live entries went.
     */
    private long removeRead(List<K> keys, List<KeyedEntry> entries) {
        if (entries.isEmpty()) {
            return 0;
        }
        Set<Integer> removed = store.removeMany(entries);
        long now = clock.getAsLong();
        boolean decode = events.hasListeners();
        EventDispatcher<K, V>.Batch batch = events.batch();
        long batchRemovals = 0;
        long raced = 0;
        for (int i = 0; i < entries.size(); i++) {
            K key = keys.get(i);
            if (!removed.contains(i)) {
                raced += removeOne.applyAsLong(key); // changed since read: the single-key path
                continue;
            }
            StoredEntry e = entries.get(i).entry();
            V old = decode ? codec.valueOf(e) : null;
            if (e.isExpiredAt(now)) {
                batch.expired(key, old);
            } else {
                batch.removed(key, old);
                batchRemovals++;
            }
        }
        statistics.removals(batchRemovals);
        batch.dispatch();
        return batchRemovals + raced;
    }

    /**
     * Scans the cache a page at a time; each page costs one read and one delete round trip per node,
     * plus one {@code deleteAll} call on the writer. Scans until one comes back empty (and, after
     * deletes, one more after a pause: see {@link #CONFIRM_PAUSE_MILLIS}).
     */
    void removeAll() {
        long start = System.nanoTime();
        long removals = 0;
        CacheWriterException failure = null;
        boolean paused = false;
        scans:
        for (int scan = 0; scan < MAX_SCANS; scan++) {
            boolean found = false;
            for (Iterator<List<KeyedEntry>> pages = store.scan(PAGE_SIZE); pages.hasNext(); ) {
                List<KeyedEntry> page = new ArrayList<>(pages.next());
                if (page.isEmpty()) {
                    continue;
                }
                found = true;
                List<K> keys = new ArrayList<>(page.size());
                page.forEach(e -> keys.add(codec.keyOf(e.keyBytes())));
                if (integration.writeThrough()) {
                    Set<K> notDeleted = new HashSet<>(keys);
                    CacheWriterException f = integration.deleteAll(notDeleted);
                    for (int i = keys.size() - 1; i >= 0; i--) {
                        if (notDeleted.contains(keys.get(i))) { // the writer kept what it could not delete
                            keys.remove(i);
                            page.remove(i);
                        }
                    }
                    if (f != null) {
                        failure = f;
                        removals += removeRead(keys, page);
                        break scans; // the writer refused some: stop rather than ask it again
                    }
                }
                removals += removeRead(keys, page);
            }
            if (!found) {
                if (removals == 0 || paused) {
                    break;
                }
                pause();
                paused = true;
            }
        }
        if (removals > 0) {
            statistics.removeTime(start);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(CONFIRM_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted", e);
        }
    }

}
