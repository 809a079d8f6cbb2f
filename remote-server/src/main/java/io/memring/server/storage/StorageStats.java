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
    public long limitMaxbytes;
    public long totalMalloced;
    public long pagesFree;
    public final long[] pagesPerClass;

    StorageStats(int classes) {
        this.pagesPerClass = new long[classes];
    }
}
