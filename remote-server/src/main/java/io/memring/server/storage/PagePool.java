package io.memring.server.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's memory: up to {@code maxPages} direct pages of {@code pageSize} bytes, allocated lazily
 * (so RSS grows with use) and never returned to the OS, as memcached's slab pages.
 *
 * <p>An item address ("handle") is {@code pageId << 32 | offset}; page ids start at 1 so that handle 0
 * means "none". Thread-safe.
 */
public final class PagePool {
    private final int pageSize;
    private final int maxPages;
    private final ByteBuffer[] pages;
    private final AtomicInteger allocated = new AtomicInteger();
    private final ConcurrentLinkedQueue<Integer> released = new ConcurrentLinkedQueue<>();

    public PagePool(long limitBytes, int pageSize) {
        if (pageSize < 1024) {
            throw new IllegalArgumentException("page size too small: " + pageSize);
        }
        long pagesForLimit = limitBytes / pageSize;
        if (pagesForLimit < 1) {
            throw new IllegalArgumentException("memory limit " + limitBytes + " is smaller than one page (" + pageSize + ")");
        }
        if (pagesForLimit > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("memory limit too large: " + limitBytes);
        }
        this.pageSize = pageSize;
        this.maxPages = (int) pagesForLimit;
        this.pages = new ByteBuffer[maxPages + 1];
    }

    /** Returns the id of a fresh or released page, or 0 when the limit is reached. */
    public int acquire() {
        Integer reused = released.poll();
        if (reused != null) {
            return reused;
        }
        while (true) {
            int n = allocated.get();
            if (n >= maxPages) {
                return 0;
            }
            if (allocated.compareAndSet(n, n + 1)) {
                int id = n + 1;
                pages[id] = ByteBuffer.allocateDirect(pageSize).order(ByteOrder.nativeOrder());
                return id;
            }
        }
    }

    /** Gives a page back for reuse by any shard. */
    public void release(int pageId) {
        released.add(pageId);
    }

    /** Returns the page buffer (absolute access only; never change its position). */
    public ByteBuffer page(int pageId) {
        return pages[pageId];
    }

    public int pageSize() {
        return pageSize;
    }

    public int maxPages() {
        return maxPages;
    }

    /** Returns how many pages have been taken from the OS so far. */
    public int allocatedPages() {
        return allocated.get();
    }

    /** Returns pages free for any shard: never allocated plus released. */
    public int freePages() {
        return maxPages - allocated.get() + released.size();
    }

    public long limitBytes() {
        return (long) maxPages * pageSize;
    }

    static long handle(int pageId, int offset) {
        return ((long) pageId << 32) | (offset & 0xffffffffL);
    }

    static int pageOf(long handle) {
        return (int) (handle >>> 32);
    }

    static int offsetOf(long handle) {
        return (int) handle;
    }
}
