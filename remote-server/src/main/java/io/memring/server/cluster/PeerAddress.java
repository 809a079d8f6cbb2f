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
    private final InetSocketAddress linkAddress;

    PeerAddress(int index, InetSocketAddress address) {
        this(index, address, address);
    }

    private PeerAddress(int index, InetSocketAddress address, InetSocketAddress linkAddress) {
        this.index = index;
        this.address = address;
        this.spelled = RingFingerprint.spelled(address);
        this.ringKey = NodeKeys.spymemcached(address);
        this.linkAddress = linkAddress;
    }

    /** The same member, its replication link connecting to {@code via} instead (see {@link LinkRoutes}). */
    PeerAddress via(InetSocketAddress via) {
        return new PeerAddress(index, address, via);
    }

    /**
     * Returns where this node's replication link to the peer connects: its address, unless {@code
     * -Dmemring.repl.linkVia} routes it elsewhere ({@link LinkRoutes}). Ownership, probes and the
     * ring always use {@link #address()}.
     */
    public InetSocketAddress linkAddress() {
        return linkAddress;
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
