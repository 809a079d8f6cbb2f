package io.memring.server.cluster;

/** Where pulled items go: the storage's replica apply (last writer wins by version), or a stand-in. */
@FunctionalInterface
public interface ReplicaSink {
    /**
     * Applies one pulled item.
     *
     * @param ttlSeconds remaining seconds to live, -1 for never
     * @param version the item's CAS on the peer (its version once versions are cluster-wide)
     * @return true if it was stored (false: something at least as new was already here)
     */
    boolean apply(byte[] key, byte[] value, int flags, int ttlSeconds, long version);
}
