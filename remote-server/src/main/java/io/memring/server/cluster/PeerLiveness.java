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
}
