package io.memring.server.storage;

/**
 * The one pending {@code flush_all} time every shard reads, memcached's {@code settings.oldest_live}:
 * once the clock reaches it, every item last written or read at or before it is dead. A later
 * {@code flush_all} replaces it, so {@code flush_all 0} cancels a delayed flush still to come, and
 * any number of delayed flushes cost one field.
 *
 * <p>An immediate flush also raises the version watermark: every item whose version (CAS) is at or
 * below it is dead. Versions are cluster-ordered ({@link HybridClock}), so the same watermark shipped
 * to a replica flushes the same writes there, and a replica apply at or below it is refused.
 */
final class FlushMark {
    /** Relative time; 0 = no flush pending or done. */
    private volatile int oldestLive;

    /** Items with a version at or below this are dead; only rises. */
    private volatile long watermark;

    /** Raises the version watermark to {@code version} (a lower one changes nothing). */
    synchronized void raiseWatermark(long version) {
        if (version > watermark) {
            watermark = version;
        }
    }

    long watermark() {
        return watermark;
    }

    /** Returns the pending or last flush time (relative seconds), 0 if none. */
    int oldestLive() {
        return oldestLive;
    }

    void set(int oldestLive) {
        this.oldestLive = oldestLive;
    }

    /** Returns whether an item last accessed at {@code time} is flushed at {@code now}. */
    boolean flushes(int time, int now) {
        int ol = oldestLive;
        return ol != 0 && ol <= now && time <= ol;
    }
}
