package io.memring.server.replication;

import io.memring.server.cluster.Membership;
import io.memring.server.cluster.PeerSecurity;
import io.memring.server.stats.ServerStats;
import io.memring.server.storage.Storage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in front of the memcached decoder on a clustered node and looks at a connection's first bytes.
 * Anything not starting {@code mr_peer_hello } is handed on untouched (the handler removes itself).
 * A hello whose fingerprint (member list and replica count) matches ours and whose node id names
 * another member turns the connection into a peer link: the memcached decoder and the connection
 * limiter leave the pipeline (a peer link holds no {@code -c} slot) and {@link PeerInbound} takes
 * over. A mismatch is answered {@code SERVER_ERROR} and closed. The fingerprint guards against mistakes;
 * authentication is the connection's: on a {@code -Y} node the auth step sits before this handler, on a
 * {@code -Z} node that asks for client certificates the hello needs a verified one ({@link PeerSecurity});
 * an unauthenticated hello is refused like a mismatch and counted in {@code repl_refused_handshakes}.
 */
final class PeerHandshake extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(PeerHandshake.class);
    private static final byte[] PREFIX = PeerFrames.ascii(PeerFrames.HELLO + " ");
    private static final int MAX_LINE = 512;
    /** A peer link carries bulk data: larger reads and output queue than a client connection. */
    private static final WriteBufferWaterMark PEER_WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final Storage storage;
    private final Membership membership;
    private final ReplicationStats replicationStats;
    private final ServerStats serverStats;
    private final PeerSecurity security;

    PeerHandshake(Storage storage, Membership membership, ReplicationStats replicationStats, ServerStats serverStats,
            PeerSecurity security) {
        this.security = security;
        this.storage = storage;
        this.membership = membership;
        this.replicationStats = replicationStats;
        this.serverStats = serverStats;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int n = Math.min(in.readableBytes(), PREFIX.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(start + i) != PREFIX[i]) {
                ctx.pipeline().remove(this); // a client: the cumulated bytes go on to the memcached decoder
                return;
            }
        }
        if (n < PREFIX.length) {
            return;
        }
        int eol = in.indexOf(start, start + Math.min(in.readableBytes(), MAX_LINE), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() >= MAX_LINE) {
                refuse(ctx, in, "line too long");
            }
            return;
        }
        String unauthenticated = security.refusesHello(ctx.pipeline());
        if (unauthenticated != null) {
            refuse(ctx, in, unauthenticated);
            return;
        }
        String line = in.readCharSequence(eol + 1 - start, StandardCharsets.US_ASCII).toString().trim();
        String[] t = line.split(" ");
        int node = t.length == 3 ? parseNode(t[2]) : -1;
        if (t.length != 3 || !t[1].equals(membership.fingerprint())) {
            refuse(ctx, in, "fingerprint mismatch (ours " + membership.fingerprint() + "): " + line);
            return;
        }
        if (node < 0 || node >= membership.members().size() || node == (membership.nodeId() & 0xFF)) {
            refuse(ctx, in, "bad node id: " + line);
            return;
        }
        accept(ctx, node);
    }

    private static int parseNode(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void accept(ChannelHandlerContext ctx, int node) {
        ChannelPipeline p = ctx.pipeline();
        if (p.get("memcached") != null) {
            p.remove("memcached");
        }
        if (p.get("limit") != null) {
            p.remove("limit");
            serverStats.currConnections.decrementAndGet();
        }
        ctx.channel().config().setWriteBufferWaterMark(PEER_WATER_MARK);
        ctx.channel().config().setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator(64, 16 * 1024, 256 * 1024));
        replicationStats.inboundLinks.incrementAndGet();
        log.info("peer link from node {} ({}) accepted", node, ctx.channel().remoteAddress());
        ctx.writeAndFlush(Unpooled.wrappedBuffer(PeerFrames.ascii(PeerFrames.OK + " " + (membership.nodeId() & 0xFF) + "\r\n")));
        p.addAfter(ctx.name(), "peer-frames", PeerFrames.decoder(storage.itemSizeLimit()));
        p.addAfter("peer-frames", "peer-in", new PeerInbound(storage, membership, replicationStats, node));
        p.remove(this); // bytes already read after the hello go on to the frame decoder
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, String why) {
        log.warn("peer handshake from {} refused: {}", ctx.channel().remoteAddress(), why);
        replicationStats.refusedHandshakes.increment();
        in.skipBytes(in.readableBytes());
        ctx.writeAndFlush(Unpooled.wrappedBuffer(PeerFrames.ascii("SERVER_ERROR peer handshake refused\r\n")))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
