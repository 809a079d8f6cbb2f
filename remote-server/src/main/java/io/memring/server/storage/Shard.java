package io.memring.server.storage;

import static io.memring.server.storage.ItemLayout.CAS;
import static io.memring.server.storage.ItemLayout.EXPTIME;
import static io.memring.server.storage.ItemLayout.FETCHED;
import static io.memring.server.storage.ItemLayout.HASH;
import static io.memring.server.storage.ItemLayout.H_NEXT;
import static io.memring.server.storage.ItemLayout.KEY_BINARY;
import static io.memring.server.storage.ItemLayout.LINKED;
import static io.memring.server.storage.ItemLayout.LRU_NEXT;
import static io.memring.server.storage.ItemLayout.LRU_PREV;
import static io.memring.server.storage.ItemLayout.STALE;
import static io.memring.server.storage.ItemLayout.TIME;
import static io.memring.server.storage.ItemLayout.TOKEN_SENT;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One lock's worth of the cache: a chained hash index, one LRU list per slab class, the free chunks
 * and the pages this shard owns. Public operations take the lock; {@code do*} methods expect it held.
 */
final class Shard {
    private static final int INITIAL_BUCKETS = 1024;

    final ReentrantLock lock = new ReentrantLock();
    private final PagePool pool;
    private final SlabClasses classes;
    private final ItemLayout mem;
    private final ServerClock clock;
    private final ItemView view;
    private final int itemLimit;
    private final FlushMark flushMark;
    private Shard[] peers = new Shard[0];

    private int[] buckets = new int[INITIAL_BUCKETS];
    private final int[] lruHead;
    private final int[] lruTail;
    private final int[] freeList;
    private final int[][] classPages;
    private final int[] classPageCount;

    private long casSeq;
    private long flushCas;

    // Counters, guarded by the lock.
    private int items;
    private long bytes;
    private long totalItems;
    private long evictions;
    private long reclaimed;
    private long expiredUnfetched;
    private long evictedUnfetched;
    private long slabReassigns;
    private long getExpired;
    private long getFlushed;

    Shard(PagePool pool, SlabClasses classes, ServerClock clock, int itemLimit, FlushMark flushMark) {
        this.pool = pool;
        this.flushMark = flushMark;
        this.itemLimit = Math.min(itemLimit, classes.maxItemSize());
        this.classes = classes;
        this.mem = new ItemLayout(pool);
        this.clock = clock;
        this.view = new ItemView(mem);
        int n = classes.count();
        this.lruHead = new int[n];
        this.lruTail = new int[n];
        this.freeList = new int[n];
        this.classPages = new int[n][];
        this.classPageCount = new int[n];
        for (int i = 0; i < n; i++) {
            classPages[i] = new int[4];
        }
    }

    void setPeers(Shard[] peers) {
        this.peers = peers;
    }

    // ---------------------------------------------------------------- operations (take the lock)

    /** Text get/gets/gat/gats: calls {@code onHit} with the item, then bumps it. Returns false on a miss. */
    boolean get(byte[] key, int hash, boolean touch, int exptime, Consumer<ItemView> onHit) {
        lock.lock();
        try {
            int now = clock.now();
            int h = doFind(key, hash, now, true);
            if (h == 0) {
                return false;
            }
            if (touch) {
                mem.putInt(h, EXPTIME, exptime);
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
            int flags = mem.flags(h);
            r.fetchedBefore = (flags & FETCHED) != 0;
            r.lastAccessBefore = mem.getInt(h, TIME);
            r.tokenAlreadySent = (flags & TOKEN_SENT) != 0;
            r.stale = (flags & STALE) != 0;
            if (r.touch) {
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
            StoreStatus precheck = precheck(r, old);
            if (precheck != null) {
                if (r.mode == StoreMode.ADD && old != 0) {
                    doBump(old, now); // memcached promotes the existing item on a failed add
                }
                return precheck;
            }
            boolean concat = r.mode == StoreMode.APPEND || r.mode == StoreMode.PREPEND;
            boolean staleWrite = r.mode == StoreMode.CAS && mem.getLong(old, CAS) != r.compareCas;
            int oldLength = concat ? mem.valueLength(old) : 0;
            long total = (long) ItemLayout.totalSize(keyLength, r.dataLength) + oldLength;
            if (total > itemLimit) {
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
            int clientFlags = concat ? mem.getInt(old, ItemLayout.CLIENT_FLAGS) : r.clientFlags;
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
            if (old != 0) {
                doUnlink(old);
            }
            doLink(h);
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
            if (invalidate) {
                if (touch) {
                    mem.putInt(h, EXPTIME, exptime);
                }
                mem.setFlags(h, (mem.flags(h) | STALE) & ~TOKEN_SENT);
                mem.putLong(h, CAS, ++casSeq);
            } else {
                doUnlink(h);
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
            mem.putInt(h, EXPTIME, exptime);
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
                byte[] digits = Long.toUnsignedString(r.initial).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                h = doAllocate(ItemLayout.totalSize(r.key.length, digits.length), 0);
                if (h == 0) {
                    return StoreStatus.NO_MEMORY;
                }
                doInit(h, r.key, hash, 0, r.vivifyExptime, digits.length, now, r.keyBinary ? KEY_BINARY : 0);
                mem.writeValue(h, 0, digits, 0, digits.length);
                doLink(h);
                r.created = true;
                r.value = r.initial;
                return finishArithmetic(r, h);
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
            byte[] digits = Long.toUnsignedString(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            if (digits.length <= length) {
                // In place, padded with spaces: exactly what memcached leaves behind.
                byte[] padded = Arrays.copyOf(digits, length);
                Arrays.fill(padded, digits.length, length, (byte) ' ');
                mem.writeValue(h, 0, padded, 0, length);
                mem.putLong(h, CAS, ++casSeq);
                doBump(h, now);
            } else {
                int fresh = doAllocate(ItemLayout.totalSize(r.key.length, digits.length), h);
                if (fresh == 0) {
                    return StoreStatus.NO_MEMORY;
                }
                doInit(fresh, r.key, hash, mem.getInt(h, ItemLayout.CLIENT_FLAGS), mem.getInt(h, EXPTIME),
                        digits.length, now, mem.flags(h) & KEY_BINARY);
                mem.writeValue(fresh, 0, digits, 0, digits.length);
                doUnlink(h);
                doLink(fresh);
                h = fresh;
            }
            r.value = value;
            return finishArithmetic(r, h);
        } finally {
            lock.unlock();
        }
    }

    private StoreStatus finishArithmetic(ArithmeticRequest r, int h) {
        if (r.touch) {
            mem.putInt(h, EXPTIME, r.touchExptime);
        }
        r.resultCas = mem.getLong(h, CAS);
        r.resultExptime = mem.getInt(h, EXPTIME);
        return StoreStatus.STORED;
    }

    /** Makes every item stored so far invalid (lazily: they are dropped when met). */
    void flush() {
        lock.lock();
        try {
            flushCas = casSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Visits live items in buckets [from, from + count), reclaiming dead ones on the way. Returns the
     * next bucket index, or -1 when the table is done.
     */
    int crawl(int from, int count, Consumer<ItemView> visitor) {
        lock.lock();
        try {
            int now = clock.now();
            int end = Math.min(buckets.length, from + count);
            for (int b = from; b < end; b++) {
                int h = buckets[b];
                while (h != 0) {
                    int next = mem.getInt(h, H_NEXT);
                    if (isDead(h, now)) {
                        doReclaim(h);
                    } else if (visitor != null) {
                        visitor.accept(view.bind(h));
                    }
                    h = next;
                }
            }
            return end >= buckets.length ? -1 : end;
        } finally {
            lock.unlock();
        }
    }

    /** Adds this shard's counters into {@code into}. */
    void addStats(StorageStats into) {
        lock.lock();
        try {
            into.currItems += items;
            into.bytes += bytes;
            into.totalItems += totalItems;
            into.evictions += evictions;
            into.reclaimed += reclaimed;
            into.expiredUnfetched += expiredUnfetched;
            into.evictedUnfetched += evictedUnfetched;
            into.slabReassigns += slabReassigns;
            into.getExpired += getExpired;
            into.getFlushed += getFlushed;
            into.hashBuckets += buckets.length;
            for (int c = 0; c < classPageCount.length; c++) {
                into.pagesPerClass[c] += classPageCount[c];
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- mechanism (lock held)

    private boolean isDead(int h, int now) {
        int exp = mem.getInt(h, EXPTIME);
        return (exp != 0 && exp <= now) || isFlushed(h, now);
    }

    private boolean isFlushed(int h, int now) {
        return mem.getLong(h, CAS) <= flushCas || flushMark.flushes(mem.getInt(h, TIME), now);
    }

    /** Finds a live item; a dead one met on the way is unlinked and, for reads, counted. */
    private int doFind(byte[] key, int hash, int now, boolean countAsRead) {
        int h = buckets[hash & (buckets.length - 1)];
        while (h != 0) {
            if (mem.getInt(h, HASH) == hash && mem.keyEquals(h, key)) {
                if (isDead(h, now)) {
                    if (countAsRead) {
                        if (isFlushed(h, now)) {
                            getFlushed++;
                        } else {
                            getExpired++;
                        }
                    }
                    doReclaim(h);
                    return 0;
                }
                return h;
            }
            h = mem.getInt(h, H_NEXT);
        }
        return 0;
    }

    private void doRemoveIfPresent(byte[] key, int hash, int now) {
        int h = doFind(key, hash, now, false);
        if (h != 0) {
            doUnlink(h);
        }
    }

    private void doInit(int h, byte[] key, int hash, int clientFlags, int exptime, int valueLength, int now, int itemFlags) {
        mem.init(h, mem.slabClass(h), key, hash, clientFlags, exptime, valueLength, now, itemFlags);
    }

    private void doLink(int h) {
        int b = mem.getInt(h, HASH) & (buckets.length - 1);
        mem.putInt(h, H_NEXT, buckets[b]);
        buckets[b] = h;
        mem.addFlags(h, LINKED);
        mem.putLong(h, CAS, ++casSeq);
        doLruPushHead(h);
        items++;
        totalItems++;
        bytes += mem.totalSize(h);
        if (items > buckets.length + (buckets.length >> 1)) {
            doGrowTable();
        }
    }

    /** Removes a live item from the index and LRU and frees its chunk. */
    private void doUnlink(int h) {
        int b = mem.getInt(h, HASH) & (buckets.length - 1);
        int cur = buckets[b];
        int prev = 0;
        while (cur != 0 && cur != h) {
            prev = cur;
            cur = mem.getInt(cur, H_NEXT);
        }
        if (cur == h) {
            int next = mem.getInt(h, H_NEXT);
            if (prev == 0) {
                buckets[b] = next;
            } else {
                mem.putInt(prev, H_NEXT, next);
            }
        }
        doLruRemove(h);
        items--;
        bytes -= mem.totalSize(h);
        doFree(h);
    }

    private void doReclaim(int h) {
        reclaimed++;
        if ((mem.flags(h) & FETCHED) == 0) {
            expiredUnfetched++;
        }
        doUnlink(h);
    }

    private void doEvict(int h, int now) {
        if (isDead(h, now)) {
            doReclaim(h);
            return;
        }
        evictions++;
        if ((mem.flags(h) & FETCHED) == 0) {
            evictedUnfetched++;
        }
        doUnlink(h);
    }

    private void doBump(int h, int now) {
        mem.putInt(h, TIME, now);
        mem.addFlags(h, FETCHED);
        int c = mem.slabClass(h);
        if (lruHead[c] != h) {
            doLruRemove(h);
            doLruPushHead(h);
        }
    }

    private void doLruPushHead(int h) {
        int c = mem.slabClass(h);
        int head = lruHead[c];
        mem.putInt(h, LRU_PREV, 0);
        mem.putInt(h, LRU_NEXT, head);
        if (head != 0) {
            mem.putInt(head, LRU_PREV, h);
        } else {
            lruTail[c] = h;
        }
        lruHead[c] = h;
    }

    private void doLruRemove(int h) {
        int c = mem.slabClass(h);
        int prev = mem.getInt(h, LRU_PREV);
        int next = mem.getInt(h, LRU_NEXT);
        if (prev != 0) {
            mem.putInt(prev, LRU_NEXT, next);
        } else {
            lruHead[c] = next;
        }
        if (next != 0) {
            mem.putInt(next, LRU_PREV, prev);
        } else {
            lruTail[c] = prev;
        }
        mem.putInt(h, LRU_PREV, 0);
        mem.putInt(h, LRU_NEXT, 0);
    }

    private void doGrowTable() {
        int[] old = buckets;
        int[] grown = new int[old.length * 2];
        int mask = grown.length - 1;
        for (int head : old) {
            int h = head;
            while (h != 0) {
                int next = mem.getInt(h, H_NEXT);
                int b = mem.getInt(h, HASH) & mask;
                mem.putInt(h, H_NEXT, grown[b]);
                grown[b] = h;
                h = next;
            }
        }
        buckets = grown;
    }

    private void doFree(int h) {
        int c = mem.slabClass(h);
        mem.setFlags(h, 0);
        mem.putInt(h, H_NEXT, freeList[c]);
        freeList[c] = h;
    }

    /**
     * Returns a free chunk big enough for {@code totalSize}, evicting if memory is full: first this
     * class's LRU tail, then a whole page reassigned from another class or shard. 0 if impossible.
     *
     * <p>{@code pinned} (0 = none) is the item the caller still reads after allocating (the old value
     * of an append, the counter of an incr): it is never evicted and its page is never reassigned, as
     * memcached's refcount keeps an item in use out of the LRU tail and the slab mover.
     */
    private int doAllocate(int totalSize, int pinned) {
        int c = classes.classFor(totalSize);
        if (c < 0) {
            return 0;
        }
        if (freeList[c] == 0) {
            int page = pool.acquire();
            if (page == 0) {
                int victim = lruTail[c] == pinned ? (pinned == 0 ? 0 : mem.getInt(pinned, LRU_PREV)) : lruTail[c];
                if (victim != 0) {
                    doEvict(victim, clock.now());
                } else {
                    page = doTakePageFromOtherClass(c, pinned == 0 ? 0 : pool.pageOf(pinned));
                    if (page == 0) {
                        page = stealPageFromPeer();
                    }
                }
            }
            if (page != 0) {
                doCarve(page, c);
            }
        }
        int h = freeList[c];
        if (h == 0) {
            return 0;
        }
        freeList[c] = mem.getInt(h, H_NEXT);
        mem.putInt(h, H_NEXT, 0);
        return h;
    }

    /** Cuts a page into chunks of class {@code c} and puts them on its free list. */
    private void doCarve(int page, int c) {
        int size = classes.chunkSize(c);
        int n = classes.chunksPerPage(c);
        pool.assign(page, size);
        for (int i = n - 1; i >= 0; i--) {
            int h = pool.handle(page, i);
            mem.setFlags(h, 0);
            pool.page(page).put(i * size + ItemLayout.SLAB_CLASS, (byte) c);
            mem.putInt(h, H_NEXT, freeList[c]);
            freeList[c] = h;
        }
        if (classPageCount[c] == classPages[c].length) {
            classPages[c] = Arrays.copyOf(classPages[c], classPages[c].length * 2);
        }
        classPages[c][classPageCount[c]++] = page;
    }

    /** Frees a page of this shard's biggest other class for class {@code wanted}, never {@code keepPage}; 0 if none. */
    private int doTakePageFromOtherClass(int wanted, int keepPage) {
        int victim = doLargestClass(wanted, keepPage);
        return victim < 0 ? 0 : doSurrenderPage(victim, keepPage);
    }

    /** Empties the oldest page of class {@code c} other than {@code keepPage} (evicting its items) and returns it, unowned. */
    private int doSurrenderPage(int c, int keepPage) {
        int index = classPages[c][0] == keepPage ? 1 : 0;
        int page = classPages[c][index];
        System.arraycopy(classPages[c], index + 1, classPages[c], index, classPageCount[c] - index - 1);
        classPageCount[c]--;
        int size = classes.chunkSize(c);
        int n = classes.chunksPerPage(c);
        int now = clock.now();
        for (int i = 0; i < n; i++) {
            int h = pool.handle(page, i);
            if ((mem.flags(h) & LINKED) != 0) {
                doEvict(h, now);
            }
        }
        // Drop this page's chunks from the free list.
        int kept = 0;
        int tail = 0;
        for (int h = freeList[c]; h != 0; ) {
            int next = mem.getInt(h, H_NEXT);
            if (pool.pageOf(h) != page) {
                if (tail == 0) {
                    kept = h;
                } else {
                    mem.putInt(tail, H_NEXT, h);
                }
                tail = h;
            }
            h = next;
        }
        if (tail != 0) {
            mem.putInt(tail, H_NEXT, 0);
        }
        freeList[c] = kept;
        slabReassigns++;
        return page;
    }

    /** Takes a page from another shard that can spare one, without ever waiting on its lock. */
    private int stealPageFromPeer() {
        for (Shard peer : peers) {
            if (peer == this || !peer.lock.tryLock()) {
                continue;
            }
            try {
                int victim = peer.doLargestClass(-1, 0);
                if (victim >= 0) {
                    return peer.doSurrenderPage(victim, 0);
                }
            } finally {
                peer.lock.unlock();
            }
        }
        return 0;
    }

    /**
     * Returns the class owning most pages in this shard, other than {@code except} and not counting
     * {@code keepPage}; -1 if none.
     */
    private int doLargestClass(int except, int keepPage) {
        int victim = -1;
        int most = 0;
        for (int c = 0; c < classPageCount.length; c++) {
            int n = classPageCount[c];
            if (n > 0 && keepPage != 0 && doOwnsPage(c, keepPage)) {
                n--;
            }
            if (c != except && n > most) {
                victim = c;
                most = n;
            }
        }
        return victim;
    }

    private boolean doOwnsPage(int c, int page) {
        for (int i = 0; i < classPageCount[c]; i++) {
            if (classPages[c][i] == page) {
                return true;
            }
        }
        return false;
    }
}
