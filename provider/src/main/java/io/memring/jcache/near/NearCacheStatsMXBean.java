package io.memring.jcache.near;

/**
 * A near cache's counts in this JVM, registered as {@code io.memring:type=NearCache,CacheManager=<uri>,Cache=<name>}
 * while the cache's statistics are enabled. Near hits are also cache hits in the JCache statistics.
 */
public interface NearCacheStatsMXBean {

    /** Returns reads answered from the near cache. */
    long getNearHits();

    /** Returns reads that went to the nodes (the key was not near, or its entry had been dropped). */
    long getNearMisses();

    /** Returns entries installed (after a read or a write). */
    long getInstalls();

    /** Returns invalidations received from the nodes (and from other CacheManagers of this JVM). */
    long getInvalidationsReceived();

    /** Returns resets: a node's stream lost events (gap, new boot, disconnect, missed heartbeat) or flushed. */
    long getResets();

    /** Returns clears: clear(), removeAll(), destroyCache() or close() here or in another CacheManager of this JVM. */
    long getClears();

    /** Returns the entries held now (approximate). */
    long getSize();

    /** Returns how far invalidations are trusted: PUSH, BEST_EFFORT or NONE. */
    String getMode();
}
