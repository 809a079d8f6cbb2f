package io.memring.server.storage;

/**
 * Per-slab-class counters behind {@code stats items} and {@code stats slabs}, with memcached's
 * meanings. One set per shard (written under its lock); {@link Storage#stats()} sums them into a
 * fresh one. {@code stats reset} zeroes them all.
 */
public final class ClassCounters {
    public final long[] evicted;
    /** Evicted items that had an exptime. */
    public final long[] evictedNonzero;
    /** Seconds since the last access of the most recently evicted item (the largest over shards). */
    public final long[] evictedTime;
    /** Allocations that failed for want of memory. */
    public final long[] outOfMemory;
    public final long[] reclaimed;
    public final long[] expiredUnfetched;
    public final long[] evictedUnfetched;
    public final long[] crawlerReclaimed;
    public final long[] crawlerItemsChecked;
    /** Items the allocation path evicted or reclaimed itself. */
    public final long[] directReclaims;
    /** LRU bumps. */
    public final long[] movesWithinLru;
    public final long[] getHits;
    public final long[] cmdSet;
    public final long[] deleteHits;
    public final long[] incrHits;
    public final long[] decrHits;
    public final long[] casHits;
    public final long[] casBadval;
    public final long[] touchHits;
    private final long[][] all;

    ClassCounters(int classes) {
        all = new long[19][classes];
        evicted = all[0];
        evictedNonzero = all[1];
        evictedTime = all[2];
        outOfMemory = all[3];
        reclaimed = all[4];
        expiredUnfetched = all[5];
        evictedUnfetched = all[6];
        crawlerReclaimed = all[7];
        crawlerItemsChecked = all[8];
        directReclaims = all[9];
        movesWithinLru = all[10];
        getHits = all[11];
        cmdSet = all[12];
        deleteHits = all[13];
        incrHits = all[14];
        decrHits = all[15];
        casHits = all[16];
        casBadval = all[17];
        touchHits = all[18];
    }

    void reset() {
        for (long[] a : all) {
            java.util.Arrays.fill(a, 0);
        }
    }

    /** Adds these counters into {@code sum} (evictedTime: the largest). */
    void addTo(ClassCounters sum) {
        for (int i = 0; i < all.length; i++) {
            long[] from = all[i];
            long[] to = sum.all[i];
            for (int c = 0; c < from.length; c++) {
                to[c] = from == evictedTime ? Math.max(to[c], from[c]) : to[c] + from[c];
            }
        }
    }

    static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }
}
