package io.memring.server.storage;

import static io.memring.server.storage.ItemLayout.CAS;
import static io.memring.server.storage.ItemLayout.CLIENT_FLAGS;
import static io.memring.server.storage.ItemLayout.EXPTIME;
import static io.memring.server.storage.ItemLayout.FETCHED;
import static io.memring.server.storage.ItemLayout.KEY_BINARY;
import static io.memring.server.storage.ItemLayout.LINKED;
import static io.memring.server.storage.ItemLayout.SLABBED;
import static io.memring.server.storage.ItemLayout.STALE;
import static io.memring.server.storage.ItemLayout.TIME;
import static io.memring.server.storage.ItemLayout.TOKEN_SENT;

import io.memring.server.storage.MutationListener.Removal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One lock's worth of the cache, and the item lifecycle on it (memcached's {@code items.c}): find,
 * link, unlink, bump, evict and reclaim, over its own {@link Assoc} index and {@link ItemLru}, and
 * the node's shared {@link SlabAllocator} and {@link SlabMover}. Public operations take the lock;
 * {@code do*} methods expect it held. Every change to the data is reported to {@link Mutations} from
 * here.
 */
final class Shard {
    final ReentrantLock lock = new ReentrantLock();
    private final PagePool pool;
    private final ItemLayout mem;
    private final ServerClock clock;
    private final ItemView view;
    private final ItemView reported;
    /** The item a store replaced, shown to the listener beside the new one ({@link MutationListener#stored(ItemView, ItemView, boolean)}). */
    private final ItemView replaced;
    private final int itemLimit;
    private final FlushMark flushMark;
    private final Mutations mutations;
    private final Assoc assoc;
    private final ItemLru lru;
    private final SlabAllocator slabs;
    private final SlabMover mover;
    private Shard[] peers = new Shard[0];
    private final Tombstones tombstones = new Tombstones();
    /** Allocation rounds (evict or move, then take) before giving up: others may take a freed chunk first. */
    private static final int ALLOCATION_ATTEMPTS = 8;

    /** Versions (CAS values) for every local write; shared by all shards. */
    private final HybridClock versions;

    // Counters, guarded by the lock.
    private final ClassCounters counters;
    private final long[] memRequested;
    private long totalItems;
    private long getExpired;
    private long getFlushed;

    Shard(PagePool pool, SlabAllocator slabs, SlabMover mover, SlabClasses classes, ServerClock clock, int itemLimit,
            FlushMark flushMark, Mutations mutations, HybridClock versions) {
        this.pool = pool;
        this.versions = versions;
        this.itemLimit = Math.min(itemLimit, classes.maxItemSize());
        this.mem = new ItemLayout(pool);
        this.clock = clock;
        this.flushMark = flushMark;
        this.mutations = mutations;
        this.view = new ItemView(mem);
        this.reported = new ItemView(mem);
        this.replaced = new ItemView(mem);
        this.assoc = new Assoc(mem);
        this.lru = new ItemLru(mem, classes.count());
        this.slabs = slabs;
        this.mover = mover;
        this.counters = new ClassCounters(classes.count());
        this.memRequested = new long[classes.count()];
    }

    void setPeers(Shard[] peers) {
        this.peers = peers;
    }

    // ---------------------------------------------------------------- operations (take the lock)

    /** Text get/gets/gat/gats: calls {@code onHit} with the item, then bumps it. Returns false on a miss. */
    boolean get(byte[] src, int off, int len, int hash, boolean touch, int exptime, Consumer<ItemView> onHit) {
        lock.lock();
        try {
            int now = clock.now();
            int h = doFind(src, off, len, hash, now, true);
            if (h == 0) {
                return false;
            }
            int c = mem.slabClass(h);
            counters.getHits[c]++;
            if (touch) {
                counters.touchHits[c]++;
                mem.putInt(h, EXPTIME, exptime);
                doReportInPlace(h);
            }
            onHit.accept(view.bind(h));
            doBump(h, now);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Looks at an item without bumping it or changing any flag. Returns false on a miss. */
    boolean peek(byte[] key, int hash, Consumer<ItemView> onHit) {
        lock.lock();
        try {
            int h = doFind(key, hash, clock.now(), false);
            if (h == 0) {
                return false;
            }
            onHit.accept(view.bind(h));
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Meta get: see {@link MetaGetRequest}. Returns false on a miss (after vivify, if asked). */
    boolean metaGet(MetaGetRequest r, int hash, Consumer<ItemView> onHit) {
        lock.lock();
        try {
            int now = clock.now();
            int h = doFind(r.key, hash, now, true);
            if (h == 0 && r.vivify) {
                h = doAllocate(ItemLayout.totalSize(r.key.length, 0), 0);
                if (h != 0) {
                    doInit(h, r.key, hash, 0, r.vivifyExptime, 0, now, r.keyBinary ? KEY_BINARY : 0);
                    doLink(h);
                    r.created = true;
                }
            }
            if (h == 0) {
                return false;
            }
            if (!r.created) {
                counters.getHits[mem.slabClass(h)]++;
            }
            int flags = mem.flags(h);
            r.fetchedBefore = (flags & FETCHED) != 0;
            r.lastAccessBefore = mem.getInt(h, TIME);
            r.tokenAlreadySent = (flags & TOKEN_SENT) != 0;
            r.stale = (flags & STALE) != 0;
            if (r.touch) {
                counters.touchHits[mem.slabClass(h)]++;
                mem.putInt(h, EXPTIME, r.touchExptime);
            }
            boolean won = r.created;
            if (r.recache && !r.tokenAlreadySent && !r.created) {
                int exp = mem.getInt(h, EXPTIME);
                if (exp != 0 && exp < r.recacheTime) {
                    won = true;
                }
            }
            if (r.stale && !r.tokenAlreadySent) {
                won = true;
            }
            if (won) {
                mem.addFlags(h, TOKEN_SENT);
            }
            r.won = won;
            if (r.created) {
                doReportCreated(h);
            } else if (r.touch) {
                doReportInPlace(h);
            }
            onHit.accept(view.bind(h));
            if (!r.noBump) {
                doBump(h, now);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stores per {@link StoreRequest#mode}; sets {@code resultCas} when stored. */
    StoreStatus store(StoreRequest r, int hash) {
        int keyLength = r.key.length;
        lock.lock();
        try {
            int now = clock.now();
            int old = doFind(r.key, hash, now, false);
            boolean concat = r.mode == StoreMode.APPEND || r.mode == StoreMode.PREPEND;
            int oldLength = concat && old != 0 ? mem.valueLength(old) : 0;
            long total = (long) ItemLayout.totalSize(keyLength, r.dataLength) + oldLength;
            int c = total > itemLimit ? -1 : slabs.classFor((int) total);
            if (c >= 0) {
                counters.cmdSet[c]++;
            }
            StoreStatus precheck = precheck(r, old);
            if (precheck != null) {
                if (r.mode == StoreMode.ADD && old != 0) {
                    doBump(old, now); // memcached promotes the existing item on a failed add
                }
                if (precheck == StoreStatus.EXISTS && r.mode == StoreMode.CAS) {
                    counters.casBadval[mem.slabClass(old)]++;
                }
                return precheck;
            }
            boolean staleWrite = r.mode == StoreMode.CAS && mem.getLong(old, CAS) != r.compareCas;
            if (c < 0) {
                if (r.mode == StoreMode.SET) {
                    doRemoveIfPresent(r.key, hash, now);
                }
                return StoreStatus.TOO_LARGE;
            }
            int h = doAllocate((int) total, old);
            if (h == 0) {
                if (r.mode == StoreMode.SET) {
                    doRemoveIfPresent(r.key, hash, now);
                }
                return StoreStatus.NO_MEMORY;
            }
            if (r.mode == StoreMode.CAS) {
                counters.casHits[mem.slabClass(old)]++;
            }
            int clientFlags = concat ? mem.getInt(old, CLIENT_FLAGS) : r.clientFlags;
            int exptime = concat || staleWrite ? mem.getInt(old, EXPTIME) : r.exptime;
            int itemFlags = r.keyBinary ? KEY_BINARY : 0;
            if (staleWrite) {
                itemFlags |= STALE | (mem.flags(old) & TOKEN_SENT);
            }
            doInit(h, r.key, hash, clientFlags, exptime, (int) (total - ItemLayout.HEADER_SIZE - keyLength), now, itemFlags);
            if (r.mode == StoreMode.APPEND) {
                mem.copyValueBetween(old, h, 0, oldLength);
                mem.writeValue(h, oldLength, r.data, r.dataIndex, r.dataLength);
            } else if (r.mode == StoreMode.PREPEND) {
                mem.writeValue(h, 0, r.data, r.dataIndex, r.dataLength);
                mem.copyValueBetween(old, h, r.dataLength, oldLength);
            } else {
                mem.writeValue(h, 0, r.data, r.dataIndex, r.dataLength);
            }
            doReplace(old, h);
            r.resultCas = mem.getLong(h, CAS);
            return StoreStatus.STORED;
        } finally {
            lock.unlock();
        }
    }

    /** Returns null when the store may go ahead, else the refusal. */
    private StoreStatus precheck(StoreRequest r, int old) {
        switch (r.mode) {
            case SET:
                return null;
            case ADD:
                return old != 0 ? StoreStatus.NOT_STORED : null;
            case CAS:
                if (old == 0) {
                    return StoreStatus.NOT_FOUND;
                }
                long current = mem.getLong(old, CAS);
                if (current == r.compareCas || (r.invalidate && r.compareCas < current)) {
                    return null;
                }
                return StoreStatus.EXISTS;
            default: // REPLACE, APPEND, PREPEND
                if (old == 0) {
                    return StoreStatus.NOT_STORED;
                }
                if (r.compareCas != 0 && mem.getLong(old, CAS) != r.compareCas) {
                    return StoreStatus.EXISTS;
                }
                return null;
        }
    }

    /**
     * Deletes, or with {@code invalidate} marks stale (new CAS, optional new exptime, token cleared).
     * Returns DELETED, NOT_FOUND or EXISTS (CAS mismatch).
     */
    StoreStatus delete(byte[] key, int hash, long compareCas, boolean invalidate, boolean touch, int exptime) {
        lock.lock();
        try {
            int now = clock.now();
            int h = doFind(key, hash, now, false);
            if (h == 0) {
                return StoreStatus.NOT_FOUND;
            }
            if (compareCas != 0 && mem.getLong(h, CAS) != compareCas) {
                return StoreStatus.EXISTS;
            }
            counters.deleteHits[mem.slabClass(h)]++;
            if (invalidate) {
                if (touch) {
                    mem.putInt(h, EXPTIME, exptime);
                }
                mem.setFlags(h, (mem.flags(h) | STALE) & ~TOKEN_SENT);
                mem.putLong(h, CAS, versions.next());
                doReportInPlace(h);
            } else {
                doRemove(h, Removal.DELETED);
            }
            return StoreStatus.DELETED;
        } finally {
            lock.unlock();
        }
    }

    /** Sets a new exptime and bumps. Returns false on a miss. */
    boolean touch(byte[] key, int hash, int exptime) {
        lock.lock();
        try {
            int now = clock.now();
            int h = doFind(key, hash, now, true);
            if (h == 0) {
                return false;
            }
            counters.touchHits[mem.slabClass(h)]++;
            mem.putInt(h, EXPTIME, exptime);
            doReportInPlace(h);
            doBump(h, now);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** incr/decr with memcached's rules: wraps at 2^64 up, floors at 0 down, rewrites in place when it fits. */
    StoreStatus arithmetic(ArithmeticRequest r, int hash) {
        lock.lock();
        try {
            int now = clock.now();
            int h = doFind(r.key, hash, now, true);
            if (h == 0) {
                if (!r.vivify) {
                    return StoreStatus.NOT_FOUND;
                }
                byte[] digits = Long.toUnsignedString(r.initial).getBytes(StandardCharsets.US_ASCII);
                h = doAllocate(ItemLayout.totalSize(r.key.length, digits.length), 0);
                if (h == 0) {
                    return StoreStatus.NO_MEMORY;
                }
                doInit(h, r.key, hash, 0, r.vivifyExptime, digits.length, now, r.keyBinary ? KEY_BINARY : 0);
                mem.writeValue(h, 0, digits, 0, digits.length);
                doLink(h);
                r.created = true;
                r.value = r.initial;
                return finishArithmetic(r, h, null);
            }
            int length = mem.valueLength(h);
            if (length == 0) {
                return StoreStatus.NON_NUMERIC;
            }
            if (r.compareCas != 0 && mem.getLong(h, CAS) != r.compareCas) {
                return StoreStatus.EXISTS;
            }
            byte[] current = new byte[length];
            mem.copyValue(h, 0, current, 0, length);
            long value;
            try {
                value = Numbers.parseUnsignedDecimal(current, 0, length);
            } catch (NumberFormatException e) {
                return StoreStatus.NON_NUMERIC;
            }
            if (r.incr) {
                value += r.delta;
            } else {
                value = Long.compareUnsigned(r.delta, value) > 0 ? 0 : value - r.delta;
            }
            byte[] digits = Long.toUnsignedString(value).getBytes(StandardCharsets.US_ASCII);
            if (digits.length <= length) {
                // In place, padded with spaces: exactly what memcached leaves behind.
                byte[] padded = Arrays.copyOf(digits, length);
                Arrays.fill(padded, digits.length, length, (byte) ' ');
                mem.writeValue(h, 0, padded, 0, length);
                mem.putLong(h, CAS, versions.next());
                doBump(h, now);
            } else {
                int fresh = doAllocate(ItemLayout.totalSize(r.key.length, digits.length), h);
                if (fresh == 0) {
                    return StoreStatus.NO_MEMORY;
                }
                doInit(fresh, r.key, hash, mem.getInt(h, CLIENT_FLAGS), mem.getInt(h, EXPTIME),
                        digits.length, now, mem.flags(h) & KEY_BINARY);
                mem.writeValue(fresh, 0, digits, 0, digits.length);
                doUnlink(h);
                doLink(fresh);
                h = fresh;
            }
            (r.incr ? counters.incrHits : counters.decrHits)[mem.slabClass(h)]++;
            r.value = value;
            return finishArithmetic(r, h, current);
        } finally {
            lock.unlock();
        }
    }

    /** Reports the count's change; {@code old}: the count's bytes before (null when vivified), handed to the listener. */
    private StoreStatus finishArithmetic(ArithmeticRequest r, int h, byte[] old) {
        if (r.touch) {
            mem.putInt(h, EXPTIME, r.touchExptime);
        }
        r.resultCas = mem.getLong(h, CAS);
        r.resultExptime = mem.getInt(h, EXPTIME);
        if (r.created) {
            doReportCreated(h);
        } else {
            mutations.counted(reported.bind(h), old); // the old count is rewritten or freed: its copy stands in
        }
        return StoreStatus.STORED;
    }

    // ---------------------------------------------------------------- replica applies (silent, last-writer-wins)

    /**
     * Stores a peer's state for {@code key} if {@code version} is newer than what this shard holds (an
     * item, a recorded tombstone, the flush watermark). Reports nothing to the {@link Mutations}: a
     * replica apply is not a client write. Idempotent, and the outcome does not depend on the order
     * applies arrive in (within the {@link Tombstones} window).
     */
    ApplyResult applyReplica(byte[] key, int hash, byte[] value, int clientFlags, int exptime, long version) {
        lock.lock();
        try {
            int now = clock.now();
            if (version <= flushMark.watermark() || tombstones.version(key, now) >= version) {
                return ApplyResult.STALE;
            }
            int old = doFind(key, hash, now, false);
            if (old != 0) {
                long current = mem.getLong(old, CAS);
                if (current > version) {
                    return ApplyResult.STALE;
                }
                if (current == version) {
                    mem.putInt(old, EXPTIME, exptime);
                    return ApplyResult.SAME;
                }
            }
            long total = ItemLayout.totalSize(key.length, value.length);
            int h = total > itemLimit ? 0 : doAllocate((int) total, old);
            if (h == 0) {
                if (old != 0) {
                    doUnlink(old); // older than what the primary holds: never serve it
                }
                return ApplyResult.NOT_STORED;
            }
            doInit(h, key, hash, clientFlags, exptime, value.length, now, 0);
            mem.writeValue(h, 0, value, 0, value.length);
            if (old != 0) {
                doUnlink(old);
            }
            doLinkVersion(h, version);
            tombstones.forget(key);
            return ApplyResult.APPLIED;
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code key} if what this shard holds is older than {@code version}, and remembers the delete. */
    ApplyResult applyTombstone(byte[] key, int hash, long version) {
        lock.lock();
        try {
            int now = clock.now();
            if (version <= flushMark.watermark() || tombstones.version(key, now) >= version) {
                return ApplyResult.STALE;
            }
            int old = doFind(key, hash, now, false);
            if (old != 0) {
                if (mem.getLong(old, CAS) >= version) {
                    return ApplyResult.STALE;
                }
                doUnlink(old);
            }
            tombstones.record(key, version, now);
            return ApplyResult.APPLIED;
        } finally {
            lock.unlock();
        }
    }

    int tombstoneCount() {
        lock.lock();
        try {
            return tombstones.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Visits live items at {@code steps} positions of the index from {@code cursor} (0 to start),
     * reclaiming dead ones on the way. Returns the next cursor, or -1 when the walk is complete. The
     * cursor survives the index growing between calls: no item present throughout is missed or
     * visited twice.
     */
    int crawl(int cursor, int steps, Consumer<ItemView> visitor) {
        lock.lock();
        try {
            int now = clock.now();
            return assoc.scan(cursor, steps, h -> {
                int c = mem.slabClass(h);
                counters.crawlerItemsChecked[c]++;
                if (isDead(h, now)) {
                    counters.crawlerReclaimed[c]++;
                    doReclaim(h, now);
                } else if (visitor != null) {
                    visitor.accept(view.bind(h));
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /** Adds this shard's counters into {@code into}. */
    void addStats(StorageStats into) {
        lock.lock();
        try {
            int now = clock.now();
            into.totalItems += totalItems;
            into.getExpired += getExpired;
            into.getFlushed += getFlushed;
            into.hashBuckets += assoc.buckets();
            into.hashExpanding += assoc.expanding() ? 1 : 0;
            counters.addTo(into.perClass);
            for (int c = 0; c < memRequested.length; c++) {
                into.itemsPerClass[c] += lru.size(c);
                into.memRequestedPerClass[c] += memRequested[c];
                int tail = lru.tail(c);
                if (tail != 0) {
                    into.agePerClass[c] = Math.max(into.agePerClass[c], now - mem.getInt(tail, TIME));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Zeroes the counters {@code stats reset} clears (not the gauges: items, bytes, pages). */
    void resetStats() {
        lock.lock();
        try {
            counters.reset();
            totalItems = 0;
            getExpired = 0;
            getFlushed = 0;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- item lifecycle (lock held)

    private boolean isDead(int h, int now) {
        int exp = mem.getInt(h, EXPTIME);
        return (exp != 0 && exp <= now) || isFlushed(h, now);
    }

    private boolean isFlushed(int h, int now) {
        return mem.getLong(h, CAS) <= flushMark.watermark() || flushMark.flushes(mem.getInt(h, TIME), now);
    }

    /** Finds a live item; a dead one met on the way is reclaimed and, for reads, counted. */
    private int doFind(byte[] key, int hash, int now, boolean countAsRead) {
        return doFind(key, 0, key.length, hash, now, countAsRead);
    }

    /** As above, the key being {@code src[off, off + len)}. */
    private int doFind(byte[] src, int off, int len, int hash, int now, boolean countAsRead) {
        int h = assoc.find(src, off, len, hash);
        if (h != 0 && isDead(h, now)) {
            if (countAsRead) {
                if (isFlushed(h, now)) {
                    getFlushed++;
                } else {
                    getExpired++;
                }
            }
            doReclaim(h, now);
            return 0;
        }
        return h;
    }

    private void doRemoveIfPresent(byte[] key, int hash, int now) {
        int h = doFind(key, hash, now, false);
        if (h != 0) {
            doRemove(h, Removal.DELETED);
        }
    }

    private void doInit(int h, byte[] key, int hash, int clientFlags, int exptime, int valueLength, int now, int itemFlags) {
        mem.init(h, mem.slabClass(h), key, hash, clientFlags, exptime, valueLength, now, itemFlags);
    }

    /** Links a new item into the index and LRU with a fresh version (CAS). */
    private void doLink(int h) {
        doLinkVersion(h, versions.next());
    }

    private void doLinkVersion(int h, long version) {
        assoc.insert(h);
        mem.addFlags(h, LINKED);
        mem.putLong(h, CAS, version);
        lru.link(h);
        totalItems++;
        memRequested[mem.slabClass(h)] += mem.totalSize(h);
    }

    /**
     * Puts {@code fresh} in the place of {@code old} (0 = none) and reports the new state beside the
     * old one: the old chunk is freed only after the report, so its bytes are still there to read.
     */
    private void doReplace(int old, int fresh) {
        if (old == 0) {
            doLink(fresh);
            doReportCreated(fresh);
            return;
        }
        doDetach(old);
        doLink(fresh);
        mutations.stored(reported.bind(fresh), replaced.bind(old), false);
        slabs.free(old);
    }

    /** Reports and removes a live item. */
    private void doRemove(int h, Removal cause) {
        mutations.removed(reported.bind(h), cause);
        doUnlink(h);
    }

    /** Takes a live item out of the index and LRU and frees its chunk, without reporting. */
    private void doUnlink(int h) {
        doDetach(h);
        slabs.free(h);
    }

    /** Takes a live item out of the index and LRU; its chunk is the caller's to free. */
    private void doDetach(int h) {
        assoc.delete(h);
        lru.unlink(h);
        memRequested[mem.slabClass(h)] -= mem.totalSize(h);
    }

    /** Reports a change that kept the item's value (touch, invalidate): it is its own previous state. */
    private void doReportInPlace(int h) {
        ItemView v = reported.bind(h);
        mutations.stored(v, v, false);
    }

    private void doReportCreated(int h) {
        mutations.stored(reported.bind(h), null, true);
    }

    private void doReclaim(int h, int now) {
        int c = mem.slabClass(h);
        counters.reclaimed[c]++;
        if ((mem.flags(h) & FETCHED) == 0) {
            counters.expiredUnfetched[c]++;
        }
        doRemove(h, isFlushed(h, now) ? Removal.FLUSHED : Removal.EXPIRED);
    }

    private void doEvict(int h, int now) {
        if (isDead(h, now)) {
            doReclaim(h, now);
            return;
        }
        int c = mem.slabClass(h);
        counters.evicted[c]++;
        if (mem.getInt(h, EXPTIME) != 0) {
            counters.evictedNonzero[c]++;
        }
        counters.evictedTime[c] = now - mem.getInt(h, TIME);
        if ((mem.flags(h) & FETCHED) == 0) {
            counters.evictedUnfetched[c]++;
        }
        doRemove(h, Removal.EVICTED);
    }

    /** A hit: last access time exact (mg's {@code l}, metadump's {@code la}), the LRU moved at most once a minute. */
    private void doBump(int h, int now) {
        int idle = now - mem.getInt(h, TIME);
        mem.putInt(h, TIME, now);
        mem.addFlags(h, FETCHED);
        if (lru.hit(h, idle)) {
            counters.movesWithinLru[mem.slabClass(h)]++;
        }
    }

    /**
     * Returns a free chunk big enough for {@code totalSize}, evicting if memory is full: this shard's
     * least recently used item of the class, else another shard's, else a whole page moved from the
     * class owning most. 0 if impossible.
     *
     * <p>{@code pinned} (0 = none) is the item the caller still reads after allocating (the old value
     * of an append, the counter of an incr): it is never evicted and its page is never moved, as
     * memcached's refcount keeps an item in use out of the LRU tail and the slab mover.
     */
    private int doAllocate(int totalSize, int pinned) {
        int c = slabs.classFor(totalSize);
        if (c < 0) {
            return 0;
        }
        for (int attempt = 0; attempt < ALLOCATION_ATTEMPTS; attempt++) {
            int h = slabs.take(c);
            if (h != 0) {
                return h;
            }
            int victim = lru.victim(c, pinned);
            if (victim != 0) {
                counters.directReclaims[c]++;
                doEvict(victim, clock.now());
            } else if (!evictFromPeer(c) && !mover.moveTo(c, pinned == 0 ? 0 : pool.pageOf(pinned))) {
                break;
            }
        }
        counters.outOfMemory[c]++;
        return 0;
    }

    /** Evicts the least recently used item of class {@code c} in another shard whose lock is free. */
    private boolean evictFromPeer(int c) {
        for (Shard peer : peers) {
            if (peer != this && peer.lru.size(c) > 0 && peer.evictTail(c)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- called by other shards (tryLock only)

    /** Evicts this shard's least recently used item of class {@code c}; false if busy or none. */
    boolean evictTail(int c) {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            int victim = lru.victim(c, 0);
            if (victim == 0) {
                return false;
            }
            counters.directReclaims[c]++;
            doEvict(victim, clock.now());
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * For the slab mover: evicts chunk {@code h} of a detached page if it holds one of this shard's
     * items. Returns true when the chunk is free afterwards; false when the lock is busy or the chunk
     * is not (or not yet) one of our linked items.
     */
    boolean evictForMove(int h) {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            if (assoc.contains(h)) {
                doEvict(h, clock.now());
                return true;
            }
            return (mem.flags(h) & SLABBED) != 0;
        } finally {
            lock.unlock();
        }
    }
}
