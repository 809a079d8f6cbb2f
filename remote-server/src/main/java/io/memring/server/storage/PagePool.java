package io.memring.server.storage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's memory: up to {@code maxPages} direct pages of {@code pageSize} bytes, allocated lazily
 * (so RSS grows with use) and never returned to the OS, as memcached's slab pages. Past the limit,
 * up to {@code extraPages} more are granted through {@link #acquireBeyondLimit()}: memcached's
 * {@code do_slabs_newslab} gives a slab class its first page even when {@code -m} is reached, so one
 * item of a new size never costs a whole other class its items.
 *
 * <p>An item address ("handle") is an {@code int}: {@code pageId << chunkBits | chunkIndex}, where the
 * chunk's byte offset is {@code chunkIndex * chunkSize(pageId)}. Four-byte handles keep the hash
 * chain and LRU links small inside every item. Page ids start at 1 so that handle 0 means "none".
 * Thread-safe.
 */
public final class PagePool {
    private static final Logger log = LoggerFactory.getLogger(PagePool.class);

    private final int pageSize;
    private final int maxPages;
    /** Pages the limit may be exceeded by ({@link #acquireBeyondLimit()}): one per slab class. */
    private final int extraPages;
    private final ByteBuffer[] pages;
    /** The same memory as a ByteBuf: Netty copies between ByteBufs by address, with no slice objects. */
    private final ByteBuf[] views;
    /** Each page's base address: item fields are read and written by address (see {@link ItemLayout}). */
    private final long[] addresses;
    private final int[] chunkSizes;
    private final int chunkBits;
    private final IntFunction<ByteBuffer> allocator;
    /** Pages backed by memory so far; written under {@code this}, read anywhere. */
    private volatile int allocated;
    private final LongAdder allocationFailures = new LongAdder();
    private final ConcurrentLinkedQueue<Integer> released = new ConcurrentLinkedQueue<>();

    /**
     * @param minChunkSize the smallest chunk any page will be cut into; it decides how many bits a
     *     handle needs for the chunk index, and so how many pages a handle can address
     */
    public PagePool(long limitBytes, int pageSize, int minChunkSize) {
        this(limitBytes, pageSize, minChunkSize, 0);
    }

    /** As above, with {@code extraPages} that {@link #acquireBeyondLimit()} may allocate past the limit. */
    public PagePool(long limitBytes, int pageSize, int minChunkSize, int extraPages) {
        this(limitBytes, pageSize, minChunkSize, extraPages,
                size -> ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder()));
    }

    /** As above, with the page allocator given (tests make it fail). */
    PagePool(long limitBytes, int pageSize, int minChunkSize, IntFunction<ByteBuffer> allocator) {
        this(limitBytes, pageSize, minChunkSize, 0, allocator);
    }

    PagePool(long limitBytes, int pageSize, int minChunkSize, int extraPages, IntFunction<ByteBuffer> allocator) {
        this.allocator = allocator;
        if (extraPages < 0) {
            throw new IllegalArgumentException("extra pages must not be negative: " + extraPages);
        }
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
        this.chunkBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, pageSize / minChunkSize - 1));
        long addressablePages = (1L << (32 - chunkBits)) - 1;
        if (pagesForLimit + extraPages > addressablePages) {
            throw new IllegalArgumentException("memory limit " + (limitBytes >> 20) + " MB exceeds the "
                    + (addressablePages * pageSize >> 20) + " MB that " + pageSize + "-byte pages can address");
        }
        this.pageSize = pageSize;
        this.maxPages = (int) pagesForLimit;
        this.extraPages = extraPages;
        this.pages = new ByteBuffer[capacityPages() + 1];
        this.views = new ByteBuf[capacityPages() + 1];
        this.chunkSizes = new int[capacityPages() + 1];
        this.addresses = new long[capacityPages() + 1];
    }

    /**
     * Returns the id of a fresh or released page, or 0 when the limit is reached or the JVM refused
     * the memory (counted in {@link #allocationFailures()}, memcached's {@code malloc_fails}; the
     * page is still available to a later call, so a failure never lowers the capacity).
     */
    public int acquire() {
        return acquire(maxPages);
    }

    /**
     * As {@link #acquire()}, but may go past the limit by up to the pool's extra pages: for a slab
     * class's first page only (the caller decides), so the pages in use stay at most
     * {@link #maxPages()} plus one per class.
     */
    public int acquireBeyondLimit() {
        return acquire(capacityPages());
    }

    private int acquire(int limit) {
        Integer reused = released.poll();
        if (reused != null) {
            return reused;
        }
        if (allocated >= limit) {
            return 0;
        }
        synchronized (this) { // at most capacityPages() times in a node's life
            int id = allocated + 1;
            if (id > limit) {
                return 0;
            }
            ByteBuffer page;
            try {
                page = allocator.apply(pageSize);
            } catch (OutOfMemoryError e) {
                allocationFailures.increment();
                log.warn("could not allocate page {} of {} ({} bytes): {}", id, limit, pageSize, e.toString());
                return 0;
            }
            if (!page.isDirect()) {
                throw new IllegalStateException("pages must be direct buffers");
            }
            pages[id] = page;
            views[id] = Unpooled.wrappedBuffer(page.duplicate());
            addresses[id] = PlatformDependent.hasUnsafe() ? PlatformDependent.directBufferAddress(page) : 0;
            allocated = id;
            return id;
        }
    }

    /** Returns how many page allocations the JVM refused. */
    public long allocationFailures() {
        return allocationFailures.sum();
    }

    /** Gives a page back for reuse by any shard. */
    public void release(int pageId) {
        released.add(pageId);
    }

    /** Returns the page buffer (absolute access only; never change its position). */
    public ByteBuffer page(int pageId) {
        return pages[pageId];
    }

    /** Returns the page as a ByteBuf for absolute bulk copies (never change its indices, never release it). */
    public ByteBuf pageView(int pageId) {
        return views[pageId];
    }

    public int pageSize() {
        return pageSize;
    }

    /** Returns how many pages {@code -m} holds; up to {@link #extraPages()} more may be allocated. */
    public int maxPages() {
        return maxPages;
    }

    /** Returns how many pages may be allocated past {@link #maxPages()}, one per slab class's first page. */
    public int extraPages() {
        return extraPages;
    }

    /** Returns the most pages that can ever be allocated: the limit's plus the extra ones. */
    public int capacityPages() {
        return maxPages + extraPages;
    }

    /** Returns how many pages have been taken from the OS so far. */
    public int allocatedPages() {
        return allocated;
    }

    /** Returns pages free for any shard within the limit: never allocated plus released. */
    public int freePages() {
        return Math.max(0, maxPages - allocated) + released.size();
    }

    public long limitBytes() {
        return (long) maxPages * pageSize;
    }

    /** Records that page {@code pageId} is cut into chunks of {@code chunkSize} bytes. */
    void assign(int pageId, int chunkSize) {
        chunkSizes[pageId] = chunkSize;
    }

    int chunkSize(int pageId) {
        return chunkSizes[pageId];
    }

    int handle(int pageId, int chunkIndex) {
        return (pageId << chunkBits) | chunkIndex;
    }

    int pageOf(int handle) {
        return handle >>> chunkBits;
    }

    /** Returns page {@code pageId}'s base address (0 without {@code sun.misc.Unsafe}). */
    long address(int pageId) {
        return addresses[pageId];
    }

    /**
     * Returns the address of item {@code handle}'s chunk. Checked, since raw reads have no bounds: the
     * chunk must lie inside an allocated page (a stale handle into a re-cut page fails loudly here,
     * as a ByteBuffer index would, instead of touching memory outside the page).
     */
    long itemAddress(int handle) {
        int page = handle >>> chunkBits;
        int size = chunkSizes[page];
        long off = (long) (handle & ((1 << chunkBits) - 1)) * size;
        long base = addresses[page];
        if (off + size > pageSize || base == 0) {
            throw new IndexOutOfBoundsException("item " + handle + ": chunk at " + off + " of page " + page
                    + " (chunk size " + size + ", page size " + pageSize + (base == 0 ? ", not allocated)" : ")"));
        }
        return base + off;
    }

    int offsetOf(int handle) {
        return (handle & ((1 << chunkBits) - 1)) * chunkSizes[handle >>> chunkBits];
    }
}
