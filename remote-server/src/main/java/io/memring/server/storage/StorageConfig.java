package io.memring.server.storage;

/**
 * Storage settings: memory limit ({@code -m}), item size limit ({@code -I}), slab growth factor
 * ({@code -f}), smallest chunk ({@code -n}) and the number of lock shards.
 */
public record StorageConfig(long memoryLimitBytes, int maxItemSize, double growthFactor, int minChunkSize, int shards) {

    public static final int DEFAULT_PAGE_SIZE = 1024 * 1024;

    public StorageConfig {
        if (maxItemSize < 1024) {
            throw new IllegalArgumentException("item size limit must be at least 1k: " + maxItemSize);
        }
        if (maxItemSize > 1024 * 1024 * 1024) {
            throw new IllegalArgumentException("item size limit must be at most 1g: " + maxItemSize);
        }
        if (memoryLimitBytes < pageSizeFor(maxItemSize)) {
            throw new IllegalArgumentException("memory limit must hold at least one item of the item size limit");
        }
        if (shards < 1 || Integer.bitCount(shards) != 1) {
            throw new IllegalArgumentException("shards must be a power of two: " + shards);
        }
    }

    /** Defaults as memcached: 64 MB, 1 MB items, factor 1.25, 48-byte minimum value space. */
    public static StorageConfig defaults() {
        return new StorageConfig(64L * 1024 * 1024, 1024 * 1024, 1.25, 64, 16);
    }

    public StorageConfig withMemoryLimit(long bytes) {
        return new StorageConfig(bytes, maxItemSize, growthFactor, minChunkSize, shards);
    }

    public StorageConfig withMaxItemSize(int bytes) {
        return new StorageConfig(memoryLimitBytes, bytes, growthFactor, minChunkSize, shards);
    }

    public StorageConfig withShards(int n) {
        return new StorageConfig(memoryLimitBytes, maxItemSize, growthFactor, minChunkSize, n);
    }

    /** Pages are 1 MB, or the item size limit when that is larger, so any allowed item fits a chunk. */
    public int pageSize() {
        return pageSizeFor(maxItemSize);
    }

    private static int pageSizeFor(int maxItemSize) {
        return Math.max(DEFAULT_PAGE_SIZE, maxItemSize);
    }

    /**
     * Returns the shard count used: the configured one. (Pages are shared by all shards, as
     * memcached's slabs, so a small memory limit needs no fewer lock shards.)
     */
    public int effectiveShards() {
        return shards;
    }
}
