package io.memring.server.cluster;

import io.memring.server.storage.ApplyResult;
import io.memring.server.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * The protocol's one question to the cluster: may this client command run here? A write runs only
 * on the key's acting primary, its first owner that is up and ready (this node counts as up); any
 * owner serves reads. Refusals are memcached {@code SERVER_ERROR} lines, sent even with noreply:
 * <ul>
 *   <li>{@code SERVER_ERROR not owner <host:port>}: an owner further down the ring was asked to write
 *       while the acting primary is up; the client sends the write there instead.</li>
 *   <li>{@code SERVER_ERROR catching up}: this node is still pulling its ranges, so any key command
 *       could see or overwrite stale state; the client treats the node as not ready.</li>
 * </ul>
 * A node that owns no copy of the key but finds every owner down accepts the write (what a client's
 * FAILOVER sends it; the copy is an orphan once an owner is back). A standalone node refuses nothing.
 */
public final class ClusterGate {
    private static final ClusterGate STANDALONE = new ClusterGate(Membership.standalone(), Readiness.ready("standalone"),
            PeerLiveness.ALL_UP);
    static final byte[] CATCHING_UP = "SERVER_ERROR catching up\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] NO_OWNER_UP = "SERVER_ERROR no owner up\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Membership membership;
    private final Readiness readiness;
    private volatile PeerLiveness liveness;
    private final byte[][] notOwner;
    private final LongAdder notOwnerReplies = new LongAdder();
    private final LongAdder notReadyReplies = new LongAdder();
    private final LongAdder orphansDropped = new LongAdder();

    public ClusterGate(Membership membership, Readiness readiness, PeerLiveness liveness) {
        this.membership = membership;
        this.readiness = readiness;
        this.liveness = liveness;
        List<PeerAddress> members = membership.members();
        this.notOwner = new byte[members.size()][];
        for (PeerAddress p : members) {
            notOwner[p.index()] = ("SERVER_ERROR not owner " + p.spelled() + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Returns the gate of a node without peers: every command runs. */
    public static ClusterGate standalone() {
        return STANDALONE;
    }

    public Membership membership() {
        return membership;
    }

    public Readiness readiness() {
        return readiness;
    }

    /** Replaces how peers' liveness is judged (the replication links, once they run). */
    public void liveness(PeerLiveness l) {
        this.liveness = l;
    }

    /** Returns the node that takes client writes for the key now: its first owner that is up, or null if none. */
    public PeerAddress actingPrimary(byte[] key) {
        for (PeerAddress p : membership.owners(key)) {
            if (p == membership.self() || liveness.isUp(p)) {
                return p;
            }
        }
        return null;
    }

    /** Returns null when this node may take a client's write of {@code key}, else the reply line. */
    public byte[] refuseWrite(byte[] key) {
        if (!membership.clustered()) {
            return null;
        }
        if (!readiness.isReady() || liveness.selfStale()) {
            notReadyReplies.increment();
            return CATCHING_UP;
        }
        PeerAddress primary = actingPrimary(key);
        if (primary == null || primary == membership.self()) {
            return null;
        }
        notOwnerReplies.increment();
        return notOwner[primary.index()];
    }

    /**
     * As {@link #refuseWrite} for a client's delete ({@code md}), and when the refusal is "not owner"
     * and this node is none of the key's owners, first drops its own copy: a copy here can only be an
     * orphan (written while every owner was down), and the delete it was asked for goes on to the
     * owner. The drop is a local tombstone, silent (not shipped, no event). This is how a provider's
     * {@code clear()} removes orphans: it asks each node that still lists a key to delete it there.
     */
    public byte[] refuseDelete(byte[] key, Storage storage) {
        byte[] refused = refuseWrite(key);
        if (refused != null && refused != CATCHING_UP && !membership.isOwner(key) && storage.peek(key, item -> { })
                && storage.applyTombstone(key, storage.versions().next()) == ApplyResult.APPLIED) {
            orphansDropped.increment();
        }
        return refused;
    }

    /**
     * As {@link #refuseRead()} for a read of one key ({@code mg}): a node that owns none of the key's
     * copies also answers {@code not owner <acting primary>} while an owner is up, rather than a miss
     * (or an orphan's old value) that would take a client's reads of the key backwards; the client
     * reads it there instead. With every owner down it serves a copy it holds (an orphan: the latest
     * writes made while the owners were down) and refuses a miss ({@code SERVER_ERROR no owner up}):
     * it cannot know that the key does not exist.
     */
    public byte[] refuseRead(byte[] key, Storage storage) {
        byte[] refused = refuseRead();
        return refused != null ? refused : refuseNonOwnerRead(key, storage);
    }

    /**
     * As {@link #refuseRead(byte[], Storage)} for a peer's catch-up pull (a connection that said
     * {@code mr_pull}): served whether or not this node is ready. A node catching up still holds
     * copies its peer may need (two nodes catching up together, e.g. after a stall cut both off), and
     * the puller applies by version, so an older copy never replaces a newer one there. Before, each
     * refused the other's pull and both gave up after every retry, serving without the other's data.
     */
    public byte[] refusePullRead(byte[] key, Storage storage) {
        return refuseNonOwnerRead(key, storage);
    }

    /** Returns whether a puller's {@code mr_pull <fingerprint>} names this cluster (false when standalone). */
    public boolean acceptsPuller(String fingerprint) {
        return membership.clustered() && membership.fingerprint().equals(fingerprint);
    }

    private byte[] refuseNonOwnerRead(byte[] key, Storage storage) {
        if (!membership.clustered() || membership.isOwner(key)) {
            return null;
        }
        PeerAddress primary = actingPrimary(key);
        if (primary == null) {
            if (storage.peek(key, item -> { })) {
                return null;
            }
            notOwnerReplies.increment();
            return NO_OWNER_UP;
        }
        notOwnerReplies.increment();
        return notOwner[primary.index()];
    }

    /** Returns null when this node may serve a client's read, else the reply line (only while catching up). */
    public byte[] refuseRead() {
        if (!membership.clustered() || (readiness.isReady() && !liveness.selfStale())) {
            return null;
        }
        notReadyReplies.increment();
        return CATCHING_UP;
    }

    /** Writes this node's cluster lines for {@code stats}: nothing when standalone. */
    public void stats(BiConsumer<String, String> sink) {
        if (!membership.clustered()) {
            return;
        }
        sink.accept("repl_state", readiness.state().spelled());
        sink.accept("repl_state_note", readiness.note().replace(' ', '_'));
        sink.accept("repl_catch_ups", Long.toString(readiness.catchUps()));
        sink.accept("ring_fingerprint", membership.ringFingerprint());
        sink.accept("repl_replicas", Integer.toString(membership.replicas()));
        sink.accept("repl_node_id", Integer.toString(membership.self().index()));
        sink.accept("repl_not_owner", Long.toString(notOwnerReplies.sum()));
        sink.accept("repl_not_ready", Long.toString(notReadyReplies.sum()));
        sink.accept("repl_orphans_dropped", Long.toString(orphansDropped.sum()));
    }
}
