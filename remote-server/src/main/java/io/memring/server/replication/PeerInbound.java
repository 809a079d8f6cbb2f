package io.memring.server.replication;

import io.memring.server.cluster.Membership;
import io.memring.server.cluster.PeerAddress;
import io.memring.server.storage.ApplyResult;
import io.memring.server.storage.Storage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of a peer link (after {@link PeerHandshake}): applies SET, DEL and FLUSH frames to
 * storage last-writer-wins, acknowledges how many it applied after each read batch, and answers DUMP
 * requests with an {@link OwnedItemsStream}. Every field is checked; a malformed frame closes the link.
 */
final class PeerInbound extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(PeerInbound.class);

    private final Storage storage;
    private final Membership membership;
    private final ReplicationStats stats;
    private final int fromNode;
    private long applied;
    private long acked;
    private OwnedItemsStream dump;

    PeerInbound(Storage storage, Membership membership, ReplicationStats stats, int fromNode) {
        this.storage = storage;
        this.membership = membership;
        this.stats = stats;
        this.fromNode = fromNode;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf f = (ByteBuf) msg;
        try {
            handle(ctx, f);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            log.warn("malformed frame from peer node {} ({}): closing the link", fromNode, e.getMessage());
            stats.badFrames.increment();
            ctx.close();
        } finally {
            f.release();
        }
    }

    private void handle(ChannelHandlerContext ctx, ByteBuf f) {
        byte type = f.readByte();
        switch (type) {
            case PeerFrames.SET -> {
                long version = positive(f.readLong(), "version");
                long shippedAt = f.readLong();
                int flags = f.readInt();
                long unixExptime = f.readLong();
                byte[] key = key(f);
                if (unixExptime < 0 || f.readableBytes() > storage.itemSizeLimit()) {
                    throw new IllegalArgumentException("bad exptime or value length");
                }
                byte[] value = new byte[f.readableBytes()];
                f.readBytes(value);
                counted(storage.applyReplica(key, value, flags, unixExptime, version), shippedAt);
            }
            case PeerFrames.DEL -> {
                long version = positive(f.readLong(), "version");
                long shippedAt = f.readLong();
                byte[] key = key(f);
                counted(storage.applyTombstone(key, version), shippedAt);
            }
            case PeerFrames.FLUSH -> {
                long watermark = f.readLong();
                long unixTime = f.readLong();
                long shippedAt = f.readLong();
                if (watermark < 0 || unixTime < 0) {
                    throw new IllegalArgumentException("negative flush");
                }
                storage.applyFlush(watermark, unixTime);
                counted(ApplyResult.APPLIED, shippedAt);
            }
            case PeerFrames.DUMP -> {
                int node = f.readInt();
                if (node < 0 || node >= membership.members().size() || dump != null && !dump.finished()) {
                    throw new IllegalArgumentException("bad dump request for node " + node);
                }
                PeerAddress target = membership.members().get(node);
                dump = new OwnedItemsStream(storage, key -> membership.owners(key).contains(target), ctx.channel(),
                        items -> ctx.writeAndFlush(PeerFrames.end(ctx.alloc(), items)));
                dump.start();
            }
            default -> throw new IllegalArgumentException("unknown frame type " + type);
        }
        if (f.isReadable()) {
            throw new IllegalArgumentException("trailing bytes in frame type " + type);
        }
    }

    private void counted(ApplyResult result, long shippedAtMs) {
        applied++;
        stats.applied.increment();
        stats.appliedFrom[fromNode].increment();
        if (result == ApplyResult.STALE) {
            stats.appliedStale.increment();
        }
        if (shippedAtMs > 0) {
            long lag = System.currentTimeMillis() - shippedAtMs;
            stats.lag.add(lag);
            stats.lagFrom[fromNode].add(lag);
        }
    }

    private static byte[] key(ByteBuf f) {
        int length = f.readUnsignedShort();
        if (length < 1 || length > PeerFrames.MAX_KEY) {
            throw new IllegalArgumentException("key length " + length);
        }
        byte[] key = new byte[length];
        f.readBytes(key);
        return key;
    }

    private static long positive(long v, String what) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " " + v);
        }
        return v;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (applied != acked) {
            acked = applied;
            ctx.writeAndFlush(PeerFrames.ack(ctx.alloc(), applied));
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (dump != null && ctx.channel().isWritable()) {
            dump.resume();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        log.info("peer link from node {} closed", fromNode);
        stats.inboundLinks.decrementAndGet();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("peer link from node {} failed: {}", fromNode, cause.toString());
        ctx.close();
    }
}
