package io.memring.server.storage;

/** A snapshot of the storage counters, summed over shards. Names follow memcached's {@code stats}. */
public final class StorageStats {
    public long currItems;
    public long bytes;
    public long totalItems;
    public long evictions;
    public long reclaimed;
    public long expiredUnfetched;
    public long evictedUnfetched;
    public long slabReassigns;
    public long getExpired;
    public long getFlushed;
    public long hashBuckets;
    /** Shards whose hash table is being migrated to its doubled size now. */
    public long hashExpanding;
    /** memcached's {@code oldest_live}: the relative time of the last (or pending) flush_all, 0 = none. */
    public long oldestLive;
    public long limitMaxbytes;
    public long totalMalloced;
    public long pagesFree;
    /** Page allocations the JVM refused (memcached's {@code malloc_fails}). */
    public long mallocFails;
    public long crawlerReclaimed;
    public long crawlerItemsChecked;
    /** Slab class index (0-based; memcached's id minus one) → pages owned. */
    public final long[] pagesPerClass;
    public final long[] freeChunksPerClass;
    public final long[] itemsPerClass;
    /** Bytes of the items (header, key, value) in each class: memcached's {@code mem_requested}. */
    public final long[] memRequestedPerClass;
    /** Seconds since the least recently used item of each class was last accessed (largest over shards). */
    public final long[] agePerClass;
    /** The per-class counters ({@code stats items} and {@code stats slabs}). */
    public final ClassCounters perClass;

    StorageStats(int classes) {
        this.pagesPerClass = new long[classes];
        this.freeChunksPerClass = new long[classes];
        this.itemsPerClass = new long[classes];
        this.memRequestedPerClass = new long[classes];
        this.agePerClass = new long[classes];
        this.perClass = new ClassCounters(classes);
    }

    /** Fills the totals that are sums of the per-class figures. */
    void sumClasses() {
        currItems = ClassCounters.sum(itemsPerClass);
        bytes = ClassCounters.sum(memRequestedPerClass);
        evictions = ClassCounters.sum(perClass.evicted);
        reclaimed = ClassCounters.sum(perClass.reclaimed);
        expiredUnfetched = ClassCounters.sum(perClass.expiredUnfetched);
        evictedUnfetched = ClassCounters.sum(perClass.evictedUnfetched);
        crawlerReclaimed = ClassCounters.sum(perClass.crawlerReclaimed);
        crawlerItemsChecked = ClassCounters.sum(perClass.crawlerItemsChecked);
    }
}
