package io.memring.server.storage;

import java.util.function.Consumer;

/**
 * The node's cache: keys hashed onto {@link Shard}s that share one {@link PagePool}. Thread-safe;
 * every call holds one shard lock for a short time. Every successful change is reported to the
 * {@link MutationListener} set with {@link #setMutationListener}.
 */
public final class Storage {
    private final StorageConfig config;
    private final ServerClock clock;
    private final PagePool pool;
    private final SlabClasses classes;
    private final Shard[] shards;
    private final int shardShift;
    private final FlushMark flushMark = new FlushMark();
    private final Mutations mutations = new Mutations();
    private final SlabAllocator slabs;
    private final SlabMover mover;
    private final HybridClock versions;

    /** A standalone node's storage: node id 0 in every version. */
    public Storage(StorageConfig config, ServerClock clock) {
        this(config, clock, HybridClock.system(0));
    }

    /** Storage whose versions (CAS values) come from {@code versions}. */
    public Storage(StorageConfig config, ServerClock clock, HybridClock versions) {
        this.config = config;
        this.versions = versions;
        this.clock = clock;
        this.classes = new SlabClasses(config.minChunkSize(), config.growthFactor(), config.pageSize());
        // Each class may get its first page past -m, as in memcached (see SlabAllocator#take).
        this.pool = new PagePool(config.memoryLimitBytes(), config.pageSize(), config.minChunkSize(), classes.count());
        int n = config.effectiveShards();
        this.shardShift = 32 - Integer.numberOfTrailingZeros(n);
        ItemLayout mem = new ItemLayout(pool);
        this.slabs = new SlabAllocator(pool, classes, mem);
        this.mover = new SlabMover(slabs, mem, this::shardFor);
        this.shards = new Shard[n];
        for (int i = 0; i < n; i++) {
            shards[i] = new Shard(pool, slabs, mover, classes, clock, config.maxItemSize(), flushMark, mutations, versions);
        }
        for (Shard s : shards) {
            s.setPeers(shards);
        }
    }

    /** Installs the listener that hears every successful mutation (null = none); see {@link MutationListener}. */
    public void setMutationListener(MutationListener listener) {
        mutations.setListener(listener);
    }

    public ServerClock clock() {
        return clock;
    }

    /** Returns the clock every version (CAS) comes from. */
    public HybridClock versions() {
        return versions;
    }

    /** Returns memcached's {@code oldest_live}: the relative time of the last or pending flush_all, 0 if none. */
    public int oldestLive() {
        return flushMark.oldestLive();
    }

    /** Returns the version watermark of the last immediate flush: items at or below it are dead. */
    public long flushWatermark() {
        return flushMark.watermark();
    }

    public StorageConfig config() {
        return config;
    }

    /** Returns the largest item (header, key and value) that can be stored. */
    public int itemSizeLimit() {
        return Math.min(config.maxItemSize(), classes.maxItemSize());
    }

    /** Returns the memory one item takes apart from key and value bytes. */
    public static int itemHeaderSize() {
        return ItemLayout.HEADER_SIZE;
    }

    /** FNV-1a then murmur3's finalizer: cheap, and well spread in both high (shard) and low (bucket) bits. */
    static int hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    static int hash(byte[] src, int off, int len) {
        int h = 0x811c9dc5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ src[i]) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private Shard shardFor(int hash) {
        return shardShift == 32 ? shards[0] : shards[hash >>> shardShift];
    }

    /** get/gets (and gat/gats when {@code touch}); calls {@code onHit} under the lock. */
    public boolean get(byte[] key, boolean touch, int exptime, Consumer<ItemView> onHit) {
        return get(key, 0, key.length, touch, exptime, onHit);
    }

    /** As {@link #get(byte[], boolean, int, Consumer)}, the key being {@code src[off, off + len)}: no copy. */
    public boolean get(byte[] src, int off, int len, boolean touch, int exptime, Consumer<ItemView> onHit) {
        int h = hash(src, off, len);
        return shardFor(h).get(src, off, len, h, touch, exptime, onHit);
    }

    /** Reads an item without bumping it (me, metadump). */
    public boolean peek(byte[] key, Consumer<ItemView> onHit) {
        int h = hash(key);
        return shardFor(h).peek(key, h, onHit);
    }

    public boolean metaGet(MetaGetRequest request, Consumer<ItemView> onHit) {
        int h = hash(request.key);
        return shardFor(h).metaGet(request, h, onHit);
    }

    public StoreStatus store(StoreRequest request) {
        int h = hash(request.key);
        return shardFor(h).store(request, h);
    }

    public StoreStatus delete(byte[] key, long compareCas, boolean invalidate, boolean touch, int exptime) {
        int h = hash(key);
        return shardFor(h).delete(key, h, compareCas, invalidate, touch, exptime);
    }

    public StoreStatus delete(byte[] key) {
        return delete(key, 0, false, false, 0);
    }

    public boolean touch(byte[] key, int exptime) {
        int h = hash(key);
        return shardFor(h).touch(key, h, exptime);
    }

    public StoreStatus arithmetic(ArithmeticRequest request) {
        int h = hash(request.key);
        return shardFor(h).arithmetic(request, h);
    }

    /**
     * Applies a peer's resulting state for {@code key}, last-writer-wins by {@code version}; see
     * {@link Shard#applyReplica}. {@code unixExptime} is a unix time (0 = never). Silent to the
     * {@link MutationListener}; the clock moves past {@code version}.
     */
    public ApplyResult applyReplica(byte[] key, byte[] value, int clientFlags, long unixExptime, long version) {
        versions.observe(version);
        int h = hash(key);
        int exptime = unixExptime == 0 ? 0 : Math.max(1, clock.toRelativeExpiry(Math.max(unixExptime, ServerClock.REALTIME_MAXDELTA + 1L)));
        return shardFor(h).applyReplica(key, h, value, clientFlags, exptime, version);
    }

    /** Applies a peer's delete of {@code key} at {@code version}; silent, last-writer-wins. */
    public ApplyResult applyTombstone(byte[] key, long version) {
        versions.observe(version);
        int h = hash(key);
        return shardFor(h).applyTombstone(key, h, version);
    }

    /**
     * Applies a peer's {@code flush_all}: every item at or below {@code watermark} dies (0 = none); a
     * delayed flush carries its unix time instead ({@code unixTime}, 0 = none). Reported as {@link
     * MutationListener#flushApplied} (not {@code flushed}: a replica apply is not shipped on), unless
     * it changed nothing (a watermark already passed, replayed).
     */
    public synchronized void applyFlush(long watermark, long unixTime) {
        long raised = 0;
        if (watermark > 0) {
            versions.observe(watermark);
            if (watermark > flushMark.watermark()) {
                raised = watermark;
            }
            flushMark.raiseWatermark(watermark);
        }
        if (unixTime > 0) {
            flushMark.set(Math.max(1, clock.toRelativeExpiry(unixTime)) - 1);
        }
        if (raised > 0 || unixTime > 0) {
            mutations.flushApplied(unixTime, raised);
        }
    }

    /** Returns a stored relative exptime as a unix time (0 = never), the form peers exchange. */
    public long toUnixExptime(int relativeExptime) {
        return relativeExptime == 0 ? 0 : clock.processStarted() + relativeExptime;
    }

    /** Returns the replica tombstones currently remembered (all shards). */
    public int tombstones() {
        int n = 0;
        for (Shard s : shards) {
            n += s.tombstoneCount();
        }
        return n;
    }

    /** Invalidates everything stored up to now. */
    public void flushAll() {
        flushAll(0);
    }

    /**
     * {@code flush_all <exptime>} as memcached: at the time {@code exptime} names (0 or negative = now,
     * up to 30 days = seconds from now, larger = unix time) every item written or read before it
     * dies. One pending time, not a task: a later call replaces it, so {@code flush_all 0} cancels a
     * delayed flush, and items written after an immediate flush live on.
     *
     * <p>Synchronized (with {@link #applyFlush}): the listener hears flushes in the order they set the
     * mark, so the last one it hears is the one pending. Two {@code flush_all} on two worker threads
     * could otherwise set the mark in one order and be heard in the other (the mutation stream then
     * took a pending delayed flush for replaced and never announced it).
     */
    public synchronized void flushAll(long exptime) {
        int now = clock.now();
        int newOldest = exptime > 0 ? Math.max(1, clock.toRelativeExpiry(exptime)) : now;
        flushMark.set(newOldest - 1 > 0 ? newOldest - 1 : 0);
        long watermark = 0;
        if (newOldest <= now) {
            // Items written this very second are older than the flush too: the version tells them apart.
            watermark = versions.next();
            flushMark.raiseWatermark(watermark);
        }
        mutations.flushed(exptime, watermark);
    }

    public int shardCount() {
        return shards.length;
    }

    /**
     * Visits (and reclaims dead items in) a bounded slice of one shard: {@code steps} positions of
     * its index from {@code cursor} (0 to start). Returns the next cursor, or -1 when that shard is
     * done. The cursor stays valid while the index grows: an item present for the whole walk is
     * visited exactly once. {@code visitor} may be null for a pure expiry sweep.
     */
    public int crawl(int shard, int cursor, int steps, Consumer<ItemView> visitor) {
        return shards[shard].crawl(cursor, steps, visitor);
    }

    public StorageStats stats() {
        StorageStats s = new StorageStats(classes.count());
        for (Shard shard : shards) {
            shard.addStats(s);
        }
        for (int c = 0; c < classes.count(); c++) {
            s.pagesPerClass[c] = slabs.pages(c);
            s.freeChunksPerClass[c] = slabs.freeChunks(c);
        }
        s.slabReassigns = mover.pagesMoved();
        s.sumClasses();
        s.mallocFails = pool.allocationFailures();
        s.oldestLive = flushMark.oldestLive();
        s.limitMaxbytes = config.memoryLimitBytes();
        s.totalMalloced = (long) pool.allocatedPages() * pool.pageSize();
        s.pagesFree = pool.freePages();
        return s;
    }

    /** {@code stats reset}: zeroes the storage counters (items, bytes and pages are gauges and stay). */
    public void resetStats() {
        for (Shard shard : shards) {
            shard.resetStats();
        }
        mover.resetStats();
    }

    public SlabClasses slabClasses() {
        return classes;
    }
}
