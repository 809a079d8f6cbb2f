package io.memring.server.cluster;

import io.memring.client.ketama.NodeKeys;
import io.memring.client.ketama.RingFingerprint;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One member of the ring, as spelled in {@code --peers}, with its socket address (resolved once, when
 * the membership is built) and the name the ketama ring gives it, the same as the client's.
 */
public final class PeerAddress {
    private final int index;
    private final InetSocketAddress address;
    private final String spelled;
    private final String ringKey;

    PeerAddress(int index, InetSocketAddress address) {
        this.index = index;
        this.address = address;
        this.spelled = RingFingerprint.spelled(address);
        this.ringKey = NodeKeys.spymemcached(address);
    }

    /** Returns the position in the peers list (the node id used in versions). */
    public int index() {
        return index;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Returns {@code host:port} as the operator wrote it (what {@code SERVER_ERROR not owner} names). */
    public String spelled() {
        return spelled;
    }

    String ringKey() {
        return ringKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerAddress p && p.index == index && p.spelled.equals(spelled);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, spelled);
    }

    @Override
    public String toString() {
        return spelled;
    }
}
