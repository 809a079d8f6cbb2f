package io.memring.client.routing;

import io.memring.client.FailoverPolicy;
import io.memring.client.connection.Node;
import io.memring.client.ketama.Continuum;
import io.memring.client.ketama.KetamaHash;
import io.memring.client.ketama.NodeKeys;
import io.memring.client.ketama.RingFingerprint;
import java.util.List;

/**
 * Picks the node for a key: its owner on the ring when up; when down, with {@link
 * FailoverPolicy#FAILOVER}, the next live node clockwise (null if none), with {@link
 * FailoverPolicy#FAIL_FAST}, null.
 */
public final class Router {
    private final Continuum<Node> ring;
    private final FailoverPolicy policy;
    private final java.util.Map<String, Node> bySpelling = new java.util.HashMap<>();

    public Router(List<Node> nodes, FailoverPolicy policy) {
        this.ring = new Continuum<>(nodes, n -> NodeKeys.spymemcached(n.address()));
        this.policy = policy;
        for (Node n : nodes) {
            bySpelling.put(RingFingerprint.spelled(n.address()), n);
        }
    }

    /** Returns the node a server names ({@code host:port} as in its --peers), or null if not on this ring. */
    public Node named(String hostPort) {
        return bySpelling.get(hostPort);
    }

    /**
     * Returns the first live node after {@code failed} in the key's ring order (the next owner), or
     * null if none or under FAIL_FAST: where a read goes when its node failed to answer.
     */
    public Node next(byte[] key, Node failed) {
        if (policy == FailoverPolicy.FAIL_FAST) {
            return null;
        }
        List<Node> order = ring.walk(KetamaHash.hash(key), ring.nodes().size());
        for (int i = order.indexOf(failed) + 1; i > 0 && i < order.size(); i++) {
            if (order.get(i).isUp()) {
                return order.get(i);
            }
        }
        return null;
    }

    public List<Node> nodes() {
        return ring.nodes();
    }

    /** Returns the key's owner regardless of health. */
    public Node owner(byte[] key) {
        return ring.nodeFor(KetamaHash.hash(key));
    }

    /** Returns where to send a request for {@code key} now, or null if nowhere under the policy. */
    public Node route(byte[] key) {
        long hash = KetamaHash.hash(key);
        Node owner = ring.nodeFor(hash);
        if (owner.isUp()) {
            return owner;
        }
        if (policy == FailoverPolicy.FAIL_FAST) {
            return null;
        }
        for (Node n : ring.walk(hash, ring.nodes().size())) {
            if (n.isUp()) {
                return n;
            }
        }
        return null;
    }
}
