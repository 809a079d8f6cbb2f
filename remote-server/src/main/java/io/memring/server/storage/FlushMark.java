package io.memring.server.storage;

/**
 * The one pending {@code flush_all} time every shard reads, memcached's {@code settings.oldest_live}:
 * once the clock reaches it, every item last written or read at or before it is dead. A later
 * {@code flush_all} replaces it, so {@code flush_all 0} cancels a delayed flush still to come, and
 * any number of delayed flushes cost one field.
 */
final class FlushMark {
    /** Relative time; 0 = no flush pending or done. */
    private volatile int oldestLive;

    void set(int oldestLive) {
        this.oldestLive = oldestLive;
    }

    /** Returns whether an item last accessed at {@code time} is flushed at {@code now}. */
    boolean flushes(int time, int now) {
        int ol = oldestLive;
        return ol != 0 && ol <= now && time <= ol;
    }
}
