package io.memring.server.storage;

import static io.memring.server.storage.ItemLayout.H_NEXT;
import static io.memring.server.storage.ItemLayout.SLABBED;

import java.util.Arrays;

/**
 * The node's chunks (memcached's {@code slabs.c}): pages taken from the {@link PagePool}, each cut
 * into the chunks of one slab class, and one free list per class threaded through the free chunks'
 * {@code H_NEXT} field. Shared by every shard, as memcached's slabs are, so a class's pages serve all
 * keys: a few items of many sizes do not need a page per class in every shard.
 *
 * <p>Thread-safe: one lock per class (held for a pop, a push or a page cut), always taken inside a
 * shard lock and never the other way round. A chunk is free ({@link ItemLayout#SLABBED}), handed out
 * (between {@link #take} and its item's link, under a shard lock), or holds a linked item.
 *
 * <p>Mechanism only: when to evict or move a page is decided by {@link Shard} and {@link SlabMover}.
 */
final class SlabAllocator {
    private final PagePool pool;
    private final SlabClasses classes;
    private final ItemLayout mem;
    private final Object[] locks;
    private final int[] freeList;
    private final int[] freeCount;
    private final int[][] classPages;
    private final int[] classPageCount;
    /** Page id → taken off its class by the mover: freed chunks stay out of the free list. */
    private final boolean[] detached;

    SlabAllocator(PagePool pool, SlabClasses classes, ItemLayout mem) {
        this.pool = pool;
        this.classes = classes;
        this.mem = mem;
        int n = classes.count();
        this.locks = new Object[n];
        this.freeList = new int[n];
        this.freeCount = new int[n];
        this.classPages = new int[n][];
        this.classPageCount = new int[n];
        this.detached = new boolean[pool.capacityPages() + 1];
        for (int i = 0; i < n; i++) {
            locks[i] = new Object();
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

    /**
     * Takes a free chunk of class {@code c}, cutting a fresh page from the pool when the list is
     * empty; returns 0 when neither has one. A class without a page gets one past the limit, as
     * memcached's {@code do_slabs_newslab} grants a class its first slab whatever {@code -m} says:
     * otherwise its first item could only be stored by moving another class's only page, and every
     * item in it, over to it.
     */
    int take(int c) {
        synchronized (locks[c]) {
            if (freeList[c] == 0) {
                int page = pool.acquire();
                if (page == 0 && classPageCount[c] == 0) {
                    page = pool.acquireBeyondLimit();
                }
                if (page == 0) {
                    return 0;
                }
                doCarve(page, c);
            }
            int h = freeList[c];
            freeList[c] = mem.getInt(h, H_NEXT);
            mem.putInt(h, H_NEXT, 0);
            mem.setFlags(h, 0);
            freeCount[c]--;
            return h;
        }
    }

    /** Returns a chunk to its class (or, in a page being moved, just marks it free). */
    void free(int h) {
        int c = mem.slabClass(h);
        synchronized (locks[c]) {
            mem.setFlags(h, SLABBED);
            if (!detached[pool.pageOf(h)]) {
                mem.putInt(h, H_NEXT, freeList[c]);
                freeList[c] = h;
                freeCount[c]++;
            }
        }
    }

    /** Cuts {@code page} (fresh, or detached and emptied) into chunks of class {@code c}. */
    void carve(int page, int c) {
        synchronized (locks[c]) {
            detached[page] = false;
            doCarve(page, c);
        }
    }

    private void doCarve(int page, int c) {
        int size = classes.chunkSize(c);
        int n = classes.chunksPerPage(c);
        pool.assign(page, size);
        for (int i = n - 1; i >= 0; i--) {
            int h = pool.handle(page, i);
            pool.page(page).put(i * size + ItemLayout.SLAB_CLASS, (byte) c);
            mem.setFlags(h, SLABBED);
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
     * Takes the oldest page of class {@code c} other than {@code keepPage} off the class: no chunk of
     * it is handed out any more, its free chunks leave the free list. Its items are still in it; the
     * caller empties it, then {@link #carve}s it or {@link #reattach}es it. Returns 0 if the class has
     * no such page, or only one page: a class's last page is never taken (as memcached's mover).
     */
    int detach(int c, int keepPage) {
        synchronized (locks[c]) {
            int count = classPageCount[c];
            if (count < 2) {
                return 0;
            }
            int index = classPages[c][0] == keepPage ? 1 : 0;
            int page = classPages[c][index];
            System.arraycopy(classPages[c], index + 1, classPages[c], index, count - index - 1);
            classPageCount[c]--;
            detached[page] = true;
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
            return page;
        }
    }

    /** Gives a detached page back to class {@code c}, its free chunks back on the free list. */
    void reattach(int page, int c) {
        synchronized (locks[c]) {
            detached[page] = false;
            int n = classes.chunksPerPage(c);
            for (int i = 0; i < n; i++) {
                int h = pool.handle(page, i);
                if ((mem.flags(h) & SLABBED) != 0) {
                    mem.putInt(h, H_NEXT, freeList[c]);
                    freeList[c] = h;
                    freeCount[c]++;
                }
            }
            if (classPageCount[c] == classPages[c].length) {
                classPages[c] = Arrays.copyOf(classPages[c], classPages[c].length * 2);
            }
            classPages[c][classPageCount[c]++] = page;
        }
    }

    /**
     * Returns the class owning most pages, other than {@code except}, among those with two or more:
     * a class's last page is never moved, and with two, one is not the caller's keep page either.
     * -1 if none. A hint read without the class locks: {@link #detach} decides.
     */
    int largestClass(int except) {
        int victim = -1;
        int most = 1;
        for (int c = 0; c < classPageCount.length; c++) {
            if (c != except && classPageCount[c] > most) {
                victim = c;
                most = classPageCount[c];
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
        synchronized (locks[c]) {
            return classPageCount[c];
        }
    }

    int freeChunks(int c) {
        synchronized (locks[c]) {
            return freeCount[c];
        }
    }
}
