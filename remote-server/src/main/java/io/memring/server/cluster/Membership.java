package io.memring.server.cluster;

import io.memring.client.ClientConfig;
import io.memring.client.ketama.Continuum;
import io.memring.client.ketama.KetamaHash;
import io.memring.client.ketama.RingFingerprint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Who is in the cluster and who owns which key: the same ketama ring as the client's (the client's
 * own {@link Continuum}, over the same {@code host:port} names), so a key's first owner on a node is
 * the node a client sends it to. A key's owners are the first {@code replicas} distinct nodes walking
 * clockwise from its hash; the first is its primary. Immutable.
 */
public final class Membership {
    /** Node ids are one byte in versions. */
    public static final int MAX_PEERS = 256;

    private final List<PeerAddress> members;
    private final PeerAddress self;
    private final int replicas;
    private final Continuum<PeerAddress> ring;
    private final String ringFingerprint;

    private Membership(List<PeerAddress> members, PeerAddress self, int replicas) {
        this.members = List.copyOf(members);
        this.self = self;
        this.replicas = replicas;
        this.ring = new Continuum<>(this.members, PeerAddress::ringKey);
        this.ringFingerprint = RingFingerprint.of(this.members.stream().map(PeerAddress::spelled).toList());
    }

    /** Returns a node without peers: it owns every key and replicates nothing (today's behaviour). */
    public static Membership standalone() {
        return new Membership(List.of(), null, 1);
    }

    /**
     * Builds the membership from {@code --peers} (spelled and ordered as clients' {@code memring.servers})
     * and {@code --replicas} (0 = all; more than the members = all).
     *
     * @param listenHost the address this node listens on ({@code -l}); a wildcard matches any local address
     * @param port the port this node listens on ({@code -p})
     * @throws IllegalArgumentException when the list is malformed, has duplicates, or does not name this node exactly once
     */
    public static Membership of(String peers, int replicas, String listenHost, int port) {
        return of(ClientConfig.parseServers(peers), replicas, listenHost, port);
    }

    /** As {@link #of(String, int, String, int)} with parsed addresses. */
    public static Membership of(List<InetSocketAddress> peers, int replicas, String listenHost, int port) {
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("--peers names no node");
        }
        if (peers.size() > MAX_PEERS) {
            throw new IllegalArgumentException("--peers names " + peers.size() + " nodes; at most " + MAX_PEERS);
        }
        if (replicas < 0) {
            throw new IllegalArgumentException("--replicas must be a positive number or 'all': " + replicas);
        }
        List<PeerAddress> members = new ArrayList<>();
        HashSet<String> seen = new HashSet<>();
        java.util.Map<String, InetSocketAddress> routes = LinkRoutes.fromSystemProperty();
        for (InetSocketAddress a : peers) {
            PeerAddress p = new PeerAddress(members.size(), a);
            if (routes.containsKey(p.spelled())) {
                p = p.via(routes.get(p.spelled()));
            }
            if (!seen.add(p.spelled())) {
                throw new IllegalArgumentException("--peers names " + p.spelled() + " twice");
            }
            members.add(p);
        }
        PeerAddress self = findSelf(members, listenHost, port);
        int r = replicas == 0 ? members.size() : Math.min(replicas, members.size());
        return new Membership(members, self, r);
    }

    /** Parses {@code --replicas}: a number from 1, or {@code all} (returned as 0). */
    public static int parseReplicas(String spec) {
        if ("all".equalsIgnoreCase(spec.trim())) {
            return 0;
        }
        try {
            int n = Integer.parseInt(spec.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--replicas must be a number from 1 or 'all': " + spec);
    }

    private static PeerAddress findSelf(List<PeerAddress> members, String listenHost, int port) {
        InetAddress listen = resolve(listenHost);
        List<PeerAddress> found = new ArrayList<>();
        for (PeerAddress p : members) {
            if (p.address().getPort() == port && sameHost(p.address(), listenHost, listen)) {
                found.add(p);
            }
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        String where = listenHost + ":" + port;
        if (found.isEmpty()) {
            throw new IllegalArgumentException("this node listens on " + where + ", which is not in --peers "
                    + spelled(members) + "; list every node, this one included, as clients list them");
        }
        throw new IllegalArgumentException("this node (" + where + ") matches several --peers entries " + found
                + "; listen on one of them with -l");
    }

    private static boolean sameHost(InetSocketAddress peer, String listenHost, InetAddress listen) {
        if (peer.getHostString().equalsIgnoreCase(listenHost)) {
            return true;
        }
        InetAddress a = peer.getAddress();
        if (a == null || listen == null) {
            return false;
        }
        if (listen.isAnyLocalAddress()) {
            return isLocal(a);
        }
        return a.equals(listen);
    }

    private static boolean isLocal(InetAddress a) {
        try {
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static List<String> spelled(List<PeerAddress> members) {
        return members.stream().map(PeerAddress::spelled).toList();
    }

    /** Returns whether this node has peers (false: standalone, owns everything). */
    public boolean clustered() {
        return self != null;
    }

    /** Returns this node's index in the peers list, the node id in versions (0 when standalone). */
    public byte nodeId() {
        return self == null ? 0 : (byte) self.index();
    }

    /** Returns this node, or null when standalone. */
    public PeerAddress self() {
        return self;
    }

    /** Returns every member, this node included, in {@code --peers} order (empty when standalone). */
    public List<PeerAddress> members() {
        return members;
    }

    /** Returns everyone but this node. */
    public List<PeerAddress> peers() {
        return members.stream().filter(p -> p != self).toList();
    }

    /** Returns copies kept of each key: 1 standalone, else {@code --replicas} capped at the member count. */
    public int replicas() {
        return replicas;
    }

    /** Returns the client-comparable fingerprint of the member list ({@link RingFingerprint}); "" standalone. */
    public String ringFingerprint() {
        return clustered() ? ringFingerprint : "";
    }

    /** Returns the fingerprint peers compare in their handshake: the member list and the replica count. */
    public String fingerprint() {
        return clustered() ? ringFingerprint + "-r" + replicas : "";
    }

    /** Returns the key's distinct owners in ring order, primary first; {@code min(replicas, n)} of them. */
    public List<PeerAddress> owners(byte[] key) {
        if (!clustered()) {
            return List.of();
        }
        return ring.walk(KetamaHash.hash(key), replicas);
    }

    /** Returns whether this node keeps a copy of the key (always true standalone). */
    public boolean isOwner(byte[] key) {
        return !clustered() || owners(key).contains(self);
    }

    /** Returns whether this node is the key's primary, its first owner (always true standalone). */
    public boolean isPrimary(byte[] key) {
        return !clustered() || ring.nodeFor(KetamaHash.hash(key)) == self;
    }

    @Override
    public String toString() {
        return clustered() ? "self " + self + " of " + spelled(members) + ", replicas " + replicas + ", ring " + ringFingerprint
                : "standalone";
    }
}
