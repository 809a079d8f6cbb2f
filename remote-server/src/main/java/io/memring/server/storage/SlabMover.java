package io.memring.server.storage;

import static io.memring.server.storage.ItemLayout.HASH;
import static io.memring.server.storage.ItemLayout.SLABBED;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Moves a whole page to another slab class when a class has no free chunk, the pool is spent and no
 * item of the class is left to evict (memcached's slab mover). The policy is memcached's "automove"
 * reduced to what the allocation path needs: the class owning most pages gives its oldest page,
 * never the page of an item the caller still reads and never a class's last page (memcached's mover
 * leaves every class at least one; a class's first page comes from past the limit instead, see
 * {@link SlabAllocator#take}).
 *
 * <p>Emptying a page evicts its items, each under its own shard's lock taken with {@code tryLock}
 * only: if one cannot be had, or a chunk is between allocation and link, the page goes back to its
 * class and the move fails this time. Thread-safe; called with the caller's shard lock held.
 */
final class SlabMover {
    private final SlabAllocator slabs;
    private final ItemLayout mem;
    private final IntFunction<Shard> shardOfHash;
    private final LongAdder pagesMoved = new LongAdder();

    SlabMover(SlabAllocator slabs, ItemLayout mem, IntFunction<Shard> shardOfHash) {
        this.slabs = slabs;
        this.mem = mem;
        this.shardOfHash = shardOfHash;
    }

    /** Moves a page to class {@code wanted}, never {@code keepPage}; false if none could be emptied. */
    boolean moveTo(int wanted, int keepPage) {
        int from = slabs.largestClass(wanted);
        if (from < 0) {
            return false;
        }
        int page = slabs.detach(from, keepPage);
        if (page == 0) {
            return false;
        }
        int n = slabs.chunksPerPage(from);
        for (int i = 0; i < n; i++) {
            int h = slabs.chunk(page, i);
            // After detach a free chunk stays free; anything else must be evicted by its shard.
            if ((mem.flags(h) & SLABBED) == 0 && !shardOfHash.apply(mem.getInt(h, HASH)).evictForMove(h)) {
                slabs.reattach(page, from);
                return false;
            }
        }
        slabs.carve(page, wanted);
        pagesMoved.increment();
        return true;
    }

    long pagesMoved() {
        return pagesMoved.sum();
    }

    void resetStats() {
        pagesMoved.reset();
    }
}
