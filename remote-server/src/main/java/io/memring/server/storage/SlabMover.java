package io.memring.server.storage;

import static io.memring.server.storage.ItemLayout.LINKED;

import java.util.function.IntConsumer;

/**
 * Moves whole pages between slab classes when the pool is spent (memcached's slab mover). The policy
 * is memcached's "automove" reduced to what the allocation path needs: the class owning most pages
 * gives its oldest page, never the page of an item the caller still reads.
 *
 * <p>Not thread-safe: every method expects the owning shard's lock held.
 */
final class SlabMover {
    private final SlabAllocator slabs;
    private final ItemLayout mem;
    private final IntConsumer evict;
    private long pagesMoved;

    /** @param evict unlinks a live item found in a page being emptied (counted as an eviction) */
    SlabMover(SlabAllocator slabs, ItemLayout mem, IntConsumer evict) {
        this.slabs = slabs;
        this.mem = mem;
        this.evict = evict;
    }

    /** Empties a page of the largest class other than {@code wanted} (never {@code keepPage}); 0 if none. */
    int takeFromOtherClass(int wanted, int keepPage) {
        int victim = slabs.largestClass(wanted, keepPage);
        return victim < 0 ? 0 : surrender(victim, keepPage);
    }

    /** Empties a page of this shard's largest class for another shard; 0 if it has none. */
    int giveAway() {
        int victim = slabs.largestClass(-1, 0);
        return victim < 0 ? 0 : surrender(victim, 0);
    }

    /** Evicts the items of the oldest page of class {@code c} other than {@code keepPage} and returns it, unowned. */
    private int surrender(int c, int keepPage) {
        int page = slabs.detach(c, keepPage);
        int n = slabs.chunksPerPage(c);
        for (int i = 0; i < n; i++) {
            int h = slabs.chunk(page, i);
            if ((mem.flags(h) & LINKED) != 0) {
                evict.accept(h);
            }
        }
        slabs.dropFreeChunks(page, c);
        pagesMoved++;
        return page;
    }

    long pagesMoved() {
        return pagesMoved;
    }

    void resetStats() {
        pagesMoved = 0;
    }
}
