package io.memring.server.storage;

import static io.memring.server.storage.ItemLayout.H_NEXT;

import java.util.Arrays;

/**
 * One shard's chunks (memcached's {@code slabs.c}): the pages it took from the {@link PagePool}, each
 * cut into the chunks of one slab class, and a free list per class threaded through the free chunks'
 * {@code H_NEXT} field. Mechanism only: when to evict or move a page is decided by the caller.
 *
 * <p>Not thread-safe: every method expects the shard lock held.
 */
final class SlabAllocator {
    private final PagePool pool;
    private final SlabClasses classes;
    private final ItemLayout mem;
    private final int[] freeList;
    private final int[] freeCount;
    private final int[][] classPages;
    private final int[] classPageCount;

    SlabAllocator(PagePool pool, SlabClasses classes, ItemLayout mem) {
        this.pool = pool;
        this.classes = classes;
        this.mem = mem;
        int n = classes.count();
        this.freeList = new int[n];
        this.freeCount = new int[n];
        this.classPages = new int[n][];
        this.classPageCount = new int[n];
        for (int i = 0; i < n; i++) {
            classPages[i] = new int[4];
        }
    }

    /** Returns the class for an item of {@code totalSize} bytes, or -1 if none is big enough. */
    int classFor(int totalSize) {
        return classes.classFor(totalSize);
    }

    int classCount() {
        return classes.count();
    }

    /** Takes a free chunk of class {@code c}, or returns 0 when its free list is empty. */
    int take(int c) {
        int h = freeList[c];
        if (h != 0) {
            freeList[c] = mem.getInt(h, H_NEXT);
            mem.putInt(h, H_NEXT, 0);
            freeCount[c]--;
        }
        return h;
    }

    /** Returns a chunk to its class's free list. */
    void free(int h) {
        int c = mem.slabClass(h);
        mem.setFlags(h, 0);
        mem.putInt(h, H_NEXT, freeList[c]);
        freeList[c] = h;
        freeCount[c]++;
    }

    /** Takes a page from the pool for class {@code c}; false when the pool has none. */
    boolean grow(int c) {
        int page = pool.acquire();
        if (page == 0) {
            return false;
        }
        carve(page, c);
        return true;
    }

    /** Cuts {@code page} into chunks of class {@code c} and puts them on its free list. */
    void carve(int page, int c) {
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
        freeCount[c] += n;
        if (classPageCount[c] == classPages[c].length) {
            classPages[c] = Arrays.copyOf(classPages[c], classPages[c].length * 2);
        }
        classPages[c][classPageCount[c]++] = page;
    }

    /**
     * Takes the oldest page of class {@code c} other than {@code keepPage} off the class and returns it;
     * its live items are still in it (the caller evicts them, then calls {@link #dropFreeChunks}).
     */
    int detach(int c, int keepPage) {
        int index = classPages[c][0] == keepPage ? 1 : 0;
        int page = classPages[c][index];
        System.arraycopy(classPages[c], index + 1, classPages[c], index, classPageCount[c] - index - 1);
        classPageCount[c]--;
        return page;
    }

    /** Removes the chunks of a detached {@code page} from class {@code c}'s free list. */
    void dropFreeChunks(int page, int c) {
        int kept = 0;
        int tail = 0;
        int dropped = 0;
        for (int h = freeList[c]; h != 0; ) {
            int next = mem.getInt(h, H_NEXT);
            if (pool.pageOf(h) != page) {
                if (tail == 0) {
                    kept = h;
                } else {
                    mem.putInt(tail, H_NEXT, h);
                }
                tail = h;
            } else {
                dropped++;
            }
            h = next;
        }
        if (tail != 0) {
            mem.putInt(tail, H_NEXT, 0);
        }
        freeList[c] = kept;
        freeCount[c] -= dropped;
    }

    /**
     * Returns the class owning most pages, other than {@code except} and not counting {@code keepPage};
     * -1 if none.
     */
    int largestClass(int except, int keepPage) {
        int keepClass = keepPage == 0 ? -1 : mem.slabClass(pool.handle(keepPage, 0));
        int victim = -1;
        int most = 0;
        for (int c = 0; c < classPageCount.length; c++) {
            int n = classPageCount[c] - (c == keepClass ? 1 : 0);
            if (c != except && n > most) {
                victim = c;
                most = n;
            }
        }
        return victim;
    }

    /** Returns the handle of chunk {@code i} of {@code page}. */
    int chunk(int page, int i) {
        return pool.handle(page, i);
    }

    int chunksPerPage(int c) {
        return classes.chunksPerPage(c);
    }

    int pages(int c) {
        return classPageCount[c];
    }

    int freeChunks(int c) {
        return freeCount[c];
    }
}
