package io.memring.server.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Chunk sizes of the slab classes: from {@code minChunk} growing by {@code factor} (memcached's
 * {@code -n}/{@code -f}), 8-byte aligned, with a last class of one chunk per page.
 */
public final class SlabClasses {
    private final int[] chunkSizes;
    private final int pageSize;

    public SlabClasses(int minChunk, double factor, int pageSize) {
        if (factor <= 1.0) {
            throw new IllegalArgumentException("growth factor must be > 1: " + factor);
        }
        List<Integer> sizes = new ArrayList<>();
        double size = Math.max(minChunk, ItemLayout.HEADER_SIZE + 8);
        while (size <= pageSize / 2.0 && sizes.size() < 62) {
            int aligned = align8((int) size);
            if (sizes.isEmpty() || aligned > sizes.get(sizes.size() - 1)) {
                sizes.add(aligned);
            }
            size *= factor;
        }
        sizes.add(pageSize);
        this.chunkSizes = sizes.stream().mapToInt(Integer::intValue).toArray();
        this.pageSize = pageSize;
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }

    /** Returns the class id for an item of {@code totalSize} bytes, or -1 if it is too large. */
    public int classFor(int totalSize) {
        int lo = 0;
        int hi = chunkSizes.length - 1;
        if (totalSize > chunkSizes[hi]) {
            return -1;
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (chunkSizes[mid] >= totalSize) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    public int chunkSize(int classId) {
        return chunkSizes[classId];
    }

    public int chunksPerPage(int classId) {
        return pageSize / chunkSizes[classId];
    }

    public int count() {
        return chunkSizes.length;
    }

    /** Returns the largest item (header + key + value) that fits. */
    public int maxItemSize() {
        return chunkSizes[chunkSizes.length - 1];
    }
}
