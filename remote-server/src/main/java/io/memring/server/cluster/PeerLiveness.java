package io.memring.server.cluster;

/**
 * Whether a peer can take writes for the keys it is primary of: reachable and {@code ready}. A peer
 * that is catching up is not up here, so the next owner keeps accepting its keys until it is ready.
 */
@FunctionalInterface
public interface PeerLiveness {
    /** Everyone up: what a node assumes before it has looked. */
    PeerLiveness ALL_UP = p -> true;

    boolean isUp(PeerAddress peer);

    /**
     * Returns true while this node's own view is too old to trust: it has just woken from a pause and
     * has not looked at its peers since (the gate then answers as if catching up).
     */
    default boolean selfStale() {
        return false;
    }
}
