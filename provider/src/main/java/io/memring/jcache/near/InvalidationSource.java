package io.memring.jcache.near;

import java.net.InetSocketAddress;
import java.util.List;

/** Where near caches subscribe: one per CacheManager (its client), one feed per near-cached cache. */
public interface InvalidationSource {

    /**
     * Subscribes {@code listener} to changes of keys starting with any of {@code prefixes}; returns once
     * the nodes that can be reached acknowledged (never throws because a node cannot push).
     */
    InvalidationFeed subscribe(List<byte[]> prefixes, NearListener listener);

    /**
     * Returns what identifies the ring in this JVM (its nodes): near caches of one cache name on one ring,
     * in different CacheManagers, invalidate each other at once.
     */
    String ringId();

    /** A source with no invalidations (stores not on a ring): mode NONE, the TTL alone bounds staleness. */
    static InvalidationSource none(String ringId) {
        return new InvalidationSource() {
            @Override
            public InvalidationFeed subscribe(List<byte[]> prefixes, NearListener listener) {
                return new InvalidationFeed() {
                    @Override
                    public Mode mode() {
                        return Mode.NONE;
                    }

                    @Override
                    public boolean live(InetSocketAddress node) {
                        return false;
                    }

                    @Override
                    public InetSocketAddress ownerOf(byte[] serverKey) {
                        return null;
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public String ringId() {
                return ringId;
            }
        };
    }
}
