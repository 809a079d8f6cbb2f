package io.memring.server.replication;

import io.memring.server.cluster.Membership;
import io.memring.server.cluster.PeerAddress;
import io.memring.server.cluster.PeerSecurity;
import io.memring.server.stats.ServerStats;
import io.memring.server.stats.StatSink;
import io.memring.server.storage.ItemView;
import io.memring.server.storage.MutationListener;
import io.memring.server.storage.ServerClock;
import io.memring.server.storage.Storage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A clustered node's replication: hears every client write from storage ({@link MutationListener}),
 * ships the resulting state (or a tombstone, or a flush watermark) to the key's other owners over one
 * {@link PeerLink} per peer, and accepts peers' links ({@link #handshake}). Replica applies are silent
 * in storage, so nothing received is shipped again.
 */
public final class Replication implements MutationListener, AutoCloseable {
    /** Default bound of each peer's queue in bytes. */
    public static final long DEFAULT_QUEUE_BYTES = 64L << 20;

    private final Membership membership;
    private final Storage storage;
    private final ServerStats serverStats;
    private final PeerLink[] links; // by member index; null for self
    private final ReplicationStats stats;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    /** False with {@code --replicas 1}: links still accept peers (catch-up DUMP) but nothing is shipped. */
    private final boolean ships;
    private final PeerSecurity security;

    private Replication(Membership membership, Storage storage, ServerStats serverStats, EventLoopGroup group, long queueBytes,
            PeerSecurity security) {
        this.security = security;
        this.membership = membership;
        this.storage = storage;
        this.serverStats = serverStats;
        this.ships = membership.replicas() > 1;
        this.stats = new ReplicationStats(membership.members().size());
        List<PeerAddress> members = membership.members();
        this.links = new PeerLink[members.size()];
        Class<? extends SocketChannel> type = Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
        for (PeerAddress p : membership.peers()) {
            links[p.index()] = new PeerLink(p, this, group, type, queueBytes,
                    security.connectionSetup(java.time.Duration.ofSeconds(5)));
        }
    }

    /**
     * Starts replication for a clustered node: installs itself as storage's mutation listener and starts
     * connecting to every peer on {@code group} (the node's worker threads).
     */
    public static Replication start(Membership membership, Storage storage, ServerStats serverStats, EventLoopGroup group,
            long queueBytes) {
        return start(membership, storage, serverStats, group, queueBytes, PeerSecurity.none());
    }

    /**
     * The same, with links secured as {@code security} says: outbound links set up TLS and authenticate
     * first; an inbound hello on an unauthenticated connection is refused ({@link PeerSecurity}).
     */
    public static Replication start(Membership membership, Storage storage, ServerStats serverStats, EventLoopGroup group,
            long queueBytes, PeerSecurity security) {
        Replication r = new Replication(membership, storage, serverStats, group, queueBytes, security);
        storage.setMutationListener(r);
        for (PeerLink l : r.links) {
            if (l != null) {
                l.connect();
            }
        }
        return r;
    }

    /** Returns a fresh handler to put before the memcached decoder of every accepted connection. */
    public ChannelHandler handshake() {
        return new PeerHandshake(storage, membership, stats, serverStats, security);
    }

    /** Returns whether this node's link to {@code peer} is established (handshake done, socket open). */
    public boolean peerUp(PeerAddress peer) {
        PeerLink l = links[peer.index()];
        return l != null && l.up();
    }

    String fingerprint() {
        return membership.fingerprint();
    }

    int selfId() {
        return membership.nodeId() & 0xFF;
    }

    OwnedItemsStream streamOwnedBy(PeerAddress peer, Channel ch, LongConsumer onWritten, LongConsumer onDone) {
        OwnedItemsStream s = new OwnedItemsStream(storage, key -> membership.owners(key).contains(peer), ch, onWritten, onDone);
        s.start();
        return s;
    }

    // ---------------------------------------------------------------- MutationListener (shard lock held)

    @Override
    public void stored(ItemView item) {
        if (!ships) {
            return;
        }
        byte[] key = item.key();
        List<PeerAddress> owners = membership.owners(key);
        if (owners.size() == 1 && owners.get(0).equals(membership.self())) {
            return;
        }
        ByteBuf frame = PeerFrames.set(alloc, key, item.clientFlags(), storage.toUnixExptime(item.exptime()), item.cas(),
                System.currentTimeMillis(), item::copyValue, item.valueLength());
        ship(owners, frame);
    }

    @Override
    public void removed(ItemView item, Removal cause) {
        if (!ships || cause != Removal.DELETED) {
            return; // evictions, expiry and flush are each node's own business
        }
        byte[] key = item.key();
        List<PeerAddress> owners = membership.owners(key);
        if (owners.size() == 1 && owners.get(0).equals(membership.self())) {
            return;
        }
        ship(owners, PeerFrames.del(alloc, key, storage.versions().next(), System.currentTimeMillis()));
    }

    @Override
    public void flushed(long exptime) {
        flushed(exptime, 0);
    }

    @Override
    public void flushed(long exptime, long watermark) {
        if (!ships) {
            return;
        }
        long unixTime = 0;
        if (watermark == 0 && exptime > 0) {
            unixTime = exptime > ServerClock.REALTIME_MAXDELTA ? exptime : System.currentTimeMillis() / 1000 + exptime;
        }
        ByteBuf frame = PeerFrames.flush(alloc, watermark, unixTime, System.currentTimeMillis());
        for (PeerLink l : links) {
            if (l != null) {
                l.offer(frame.retainedDuplicate());
            }
        }
        frame.release();
    }

    private void ship(List<PeerAddress> owners, ByteBuf frame) {
        for (PeerAddress p : owners) {
            PeerLink l = links[p.index()];
            if (l != null) {
                l.offer(frame.retainedDuplicate());
            }
        }
        frame.release();
    }

    // ---------------------------------------------------------------- stats

    /** Writes the {@code repl_*} lines of {@code stats}: totals, then {@code repl_peer_<index>_*} per peer. */
    public void writeStats(StatSink out) {
        long queued = 0;
        long offered = 0;
        long sent = 0;
        long dropped = 0;
        long resyncs = 0;
        long resyncItems = 0;
        for (PeerLink l : links) {
            if (l != null) {
                queued += l.queuedBytes.get();
                offered += l.offered.sum();
                sent += l.sent.sum();
                dropped += l.dropped.sum();
                resyncs += l.resyncs.get();
                resyncItems += l.resyncItems.get();
            }
        }
        out.stat("repl_queue_bytes", queued);
        out.stat("repl_offered", offered);
        out.stat("repl_sent", sent);
        out.stat("repl_dropped", dropped);
        out.stat("repl_resyncs", resyncs);
        out.stat("repl_resync_items", resyncItems);
        out.stat("repl_applied", stats.applied.sum());
        out.stat("repl_applied_stale", stats.appliedStale.sum());
        out.stat("repl_bad_frames", stats.badFrames.sum());
        out.stat("repl_refused_handshakes", stats.refusedHandshakes.sum());
        out.stat("repl_inbound_links", stats.inboundLinks.get());
        out.stat("repl_lag_ms_p50", stats.lag.quantile(0.50));
        out.stat("repl_lag_ms_p99", stats.lag.quantile(0.99));
        out.stat("repl_tombstones", storage.tombstones());
        for (PeerLink l : links) {
            if (l != null) {
                String p = "repl_peer_" + l.peer.index() + "_";
                out.stat(p + "addr", l.peer.spelled());
                out.stat(p + "up", l.up() ? 1 : 0);
                out.stat(p + "queue_bytes", l.queuedBytes.get());
                out.stat(p + "offered", l.offered.sum());
                out.stat(p + "sent", l.sent.sum());
                out.stat(p + "acked", l.acked);
                out.stat(p + "dropped", l.dropped.sum());
                out.stat(p + "resyncs", l.resyncs.get());
                out.stat(p + "resync_items", l.resyncItems.get());
                out.stat(p + "deletes_forgotten", l.deletesForgotten.get());
                out.stat(p + "applied_from", stats.appliedFrom[l.peer.index()].sum());
                out.stat(p + "lag_from_ms_p50", stats.lagFrom[l.peer.index()].quantile(0.50));
                out.stat(p + "lag_from_ms_p99", stats.lagFrom[l.peer.index()].quantile(0.99));
            }
        }
    }

    @Override
    public void close() {
        storage.setMutationListener(null);
        for (PeerLink l : links) {
            if (l != null) {
                l.close();
            }
        }
    }
}
