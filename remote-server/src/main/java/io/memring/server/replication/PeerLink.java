package io.memring.server.replication;

import io.memring.client.security.ConnectionSetup;
import io.memring.server.cluster.PeerAddress;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's outgoing link to one peer: connects (and reconnects with backoff), says hello, then
 * ships frames in order, pipelined, flushing once per drained batch. The queue is bounded in bytes
 * (frames waiting here plus frames Netty has not yet written to the socket); a frame that does not
 * fit, or arrives while the link is down, is dropped and counted, and the peer is marked for resync:
 * once the queue is empty again the link streams every item the peer owns ({@link OwnedItemsStream}),
 * which last-writer-wins merges with the live stream. Counters: every frame offered is
 * {@code sent} (written to the socket), {@code dropped}, or still queued.
 */
final class PeerLink {
    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 2000;
    /** Deletes remembered across a drop, to lead the next resync (which otherwise carries only items). */
    static final int MAX_PENDING_DELETES = 65_536;

    final PeerAddress peer;
    private final Replication replication;
    private final Bootstrap bootstrap;
    private final EventLoopGroup group;
    private final long queueLimit;
    private final ConcurrentLinkedQueue<ByteBuf> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    final AtomicLong queuedBytes = new AtomicLong();
    final LongAdder offered = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final AtomicLong resyncs = new AtomicLong();
    final AtomicLong resyncItems = new AtomicLong();
    volatile long acked;
    private volatile Channel channel;
    private volatile boolean resyncNeeded;
    private volatile boolean closed;
    private OwnedItemsStream resync; // event loop only
    /** Key -> version of deletes dropped since the last resync began; guarded by itself. */
    private final Map<ByteBuffer, Long> pendingDeletes = new LinkedHashMap<>();
    /**
     * (watermark, unixTime) of flushes dropped since the last resync began, oldest first; guarded by
     * {@link #pendingDeletes}. A resync streams only the sender's live items, so a lost flush must be
     * replayed ahead of them or the peer keeps what the flush removed.
     */
    private final ArrayDeque<long[]> pendingFlushes = new ArrayDeque<>();
    static final int MAX_PENDING_FLUSHES = 16;
    final AtomicLong deletesForgotten = new AtomicLong();
    private long backoffMs = MIN_BACKOFF_MS;
    private boolean everUp;
    private final ConnectionSetup setup;
    private volatile String lastSetupFailure;

    PeerLink(PeerAddress peer, Replication replication, EventLoopGroup group, Class<? extends SocketChannel> channelType,
            long queueLimit) {
        this(peer, replication, group, channelType, queueLimit, ConnectionSetup.plain());
    }

    /** {@code setup}: the TLS handshake and authentication done before the hello (the node's -Z and -Y). */
    PeerLink(PeerAddress peer, Replication replication, EventLoopGroup group, Class<? extends SocketChannel> channelType,
            long queueLimit, ConnectionSetup setup) {
        this.setup = setup;
        this.peer = peer;
        this.replication = replication;
        this.group = group;
        this.queueLimit = queueLimit;
        this.bootstrap = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        setup.initChannel(ch, peer.address());
                        ch.pipeline().addLast("line", new LineBasedFrameDecoder(512));
                        ch.pipeline().addLast("hello", new Hello());
                    }
                });
    }

    boolean up() {
        return channel != null;
    }

    void connect() {
        if (closed) {
            return;
        }
        bootstrap.connect(peer.linkAddress()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                retryLater();
            } else {
                f.channel().closeFuture().addListener(c -> lost(f.channel()));
            }
        });
    }

    private void retryLater() {
        if (closed) {
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        group.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Queues one frame (this link takes ownership of it), or drops it and marks the peer for resync. */
    void offer(ByteBuf frame) {
        offered.increment();
        int n = frame.readableBytes();
        if (channel == null || queuedBytes.addAndGet(n) > queueLimit) {
            if (channel != null) {
                queuedBytes.addAndGet(-n);
            }
            drop(frame);
            return;
        }
        queue.add(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            Channel ch = channel;
            if (ch == null) {
                drainScheduled.set(false);
                purge();
            } else {
                ch.eventLoop().execute(this::drain);
            }
        }
    }

    private void drop(ByteBuf frame) {
        rememberDelete(frame);
        rememberFlush(frame);
        frame.release();
        dropped.increment();
        if (!resyncNeeded) {
            resyncNeeded = true;
        }
    }

    /** A dropped FLUSH frame: keep its watermark and time so the resync can replay it first. */
    private void rememberFlush(ByteBuf frame) {
        int at = frame.readerIndex();
        if (frame.readableBytes() < 4 + 1 + 8 + 8 || frame.getByte(at + 4) != PeerFrames.FLUSH) {
            return;
        }
        synchronized (pendingDeletes) {
            pendingFlushes.addLast(new long[] {frame.getLong(at + 5), frame.getLong(at + 13)});
            if (pendingFlushes.size() > MAX_PENDING_FLUSHES) {
                pendingFlushes.removeFirst(); // a later flush covers an older immediate one
            }
        }
    }

    /** A dropped DEL frame: keep (key, version) so the resync can replay it; the newest version wins. */
    private void rememberDelete(ByteBuf frame) {
        int at = frame.readerIndex();
        if (frame.readableBytes() < 4 + 1 + 8 + 8 + 2 || frame.getByte(at + 4) != PeerFrames.DEL) {
            return;
        }
        long version = frame.getLong(at + 5);
        byte[] key = new byte[frame.getUnsignedShort(at + 21)];
        frame.getBytes(at + 23, key);
        synchronized (pendingDeletes) {
            pendingDeletes.merge(ByteBuffer.wrap(key), version, Math::max);
            if (pendingDeletes.size() > MAX_PENDING_DELETES) {
                var it = pendingDeletes.entrySet().iterator();
                it.next();
                it.remove();
                if (deletesForgotten.getAndIncrement() == 0) {
                    log.warn("more than {} deletes dropped for peer {}: older ones will not be replayed by its resync",
                            MAX_PENDING_DELETES, peer);
                }
            }
        }
    }

    private void purge() {
        ByteBuf b;
        while ((b = queue.poll()) != null) {
            queuedBytes.addAndGet(-b.readableBytes());
            drop(b);
        }
    }

    /** Writes what is queued while the socket takes it; on the link's event loop. */
    private void drain() {
        drainScheduled.set(false);
        Channel ch = channel;
        if (ch == null) {
            purge();
            return;
        }
        boolean wrote = false;
        ByteBuf b;
        while (ch.isWritable() && (b = queue.poll()) != null) {
            int n = b.readableBytes();
            // A delete or flush lost with the link must lead the next resync: keep its bytes until the write is done.
            byte type = b.getByte(b.readerIndex() + 4);
            ByteBuf delete = type == PeerFrames.DEL || type == PeerFrames.FLUSH ? b.retainedDuplicate() : null;
            ch.write(b).addListener(f -> {
                queuedBytes.addAndGet(-n);
                if (f.isSuccess()) {
                    sent.increment();
                } else {
                    dropped.increment();
                    resyncNeeded = true;
                    if (delete != null) {
                        rememberDelete(delete);
                        rememberFlush(delete);
                    }
                }
                if (delete != null) {
                    delete.release();
                }
            });
            wrote = true;
        }
        if (wrote) {
            ch.flush();
        }
        if (queue.isEmpty() && resyncNeeded && ch.isWritable() && (resync == null || resync.over())) {
            startResync(ch);
        }
    }

    private void startResync(Channel ch) {
        resyncNeeded = false;
        resyncs.incrementAndGet();
        log.info("resync of peer {} started (dropped so far: {})", peer, dropped.sum());
        Map<ByteBuffer, Long> deletes;
        List<long[]> flushes;
        synchronized (pendingDeletes) {
            deletes = new LinkedHashMap<>(pendingDeletes);
            pendingDeletes.clear();
            flushes = new ArrayList<>(pendingFlushes);
            pendingFlushes.clear();
        }
        for (long[] f : flushes) { // first: the items streamed below are newer than any flush they survived
            ch.write(PeerFrames.flush(ch.alloc(), f[0], f[1], System.currentTimeMillis()), ch.voidPromise());
        }
        resyncItems.addAndGet(flushes.size());
        for (Map.Entry<ByteBuffer, Long> d : deletes.entrySet()) {
            ch.write(PeerFrames.del(ch.alloc(), d.getKey().array(), d.getValue(), 0), ch.voidPromise());
        }
        resyncItems.addAndGet(deletes.size());
        // counted as written: a resync cut short by the link still wrote (and the peer may have applied) those
        resync = replication.streamOwnedBy(peer, ch, resyncItems::addAndGet, items -> {
            log.info("resync of peer {} done: {} items", peer, items);
            drain();
        });
    }

    private void established(Channel ch) {
        backoffMs = MIN_BACKOFF_MS;
        if (everUp) {
            resyncNeeded = true; // frames in flight when it went down may be lost
        }
        everUp = true;
        channel = ch;
        log.info("peer link to {} up", peer);
        drain();
    }

    private void lost(Channel ch) {
        if (channel == ch) {
            channel = null;
            log.warn("peer link to {} down; changes for it are dropped and it will be resynced", peer);
        }
        ch.eventLoop().execute(this::purge);
        retryLater();
    }

    void close() {
        closed = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
        purge();
    }

    /** Once the connection is set up (TLS, authentication), sends the hello, waits for the answer, then swaps in the frame codec. */
    private final class Hello extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            setup.ready(ctx.channel()).addListener(ready -> {
                if (ready.isSuccess()) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(PeerFrames.ascii(
                            PeerFrames.hello(replication.fingerprint(), replication.selfId()))));
                } else {
                    String why = ready.cause().getMessage();
                    if (!why.equals(lastSetupFailure)) { // once per distinct cause, not at every reconnect
                        log.warn("peer link to {} could not be set up: {}", peer, why);
                    }
                    lastSetupFailure = why;
                    ctx.close();
                }
            });
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf line = (ByteBuf) msg;
            String answer = line.toString(StandardCharsets.US_ASCII);
            line.release();
            if (!answer.startsWith(PeerFrames.OK + " ")) {
                log.warn("peer {} refused our hello: {}", peer, answer);
                ctx.close();
                return;
            }
            ctx.pipeline().addAfter("hello", "frames", PeerFrames.decoder(64));
            ctx.pipeline().addAfter("frames", "acks", new Acks());
            ctx.pipeline().remove("line");
            ctx.pipeline().remove(this);
            established(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Reads the peer's acknowledgements and resumes writing when the socket drains. */
    private final class Acks extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf f = (ByteBuf) msg;
            try {
                if (f.readableBytes() == 9 && f.readByte() == PeerFrames.ACK) {
                    acked = f.readLong();
                }
            } finally {
                f.release();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                OwnedItemsStream r = resync;
                if (r != null && !r.finished()) {
                    r.resume();
                }
                drain();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("peer link to {} failed: {}", peer, cause.toString());
            ctx.close();
        }
    }
}
