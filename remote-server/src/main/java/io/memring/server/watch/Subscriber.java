package io.memring.server.watch;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription connection. Storage threads {@link #offer} events under their shard lock: a
 * lock-free queue and a byte count, never I/O. The connection's event loop drains the queue, numbers
 * the events and writes them; a byte is charged from the offer until the socket took it, so events
 * queued plus output Netty still holds never exceed the node's {@code watch_buffer_bytes}. Past it the
 * subscription is over: {@code MO}, then the connection is closed (at once if the peer does not read).
 */
public final class Subscriber {
    private static final Logger log = LoggerFactory.getLogger(Subscriber.class);
    private static final byte[] OVERFLOW = "MO\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Events written per buffer before it is handed to the channel. */
    private static final int WRITE_CHUNK = 64 * 1024;

    private final WatchHub hub;
    private final Channel channel;
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final ScheduledFuture<?> heartbeat;
    private volatile PrefixFilter filter = PrefixFilter.NOTHING;
    private volatile boolean closed;
    /** The last sequence number sent (event loop only). */
    private long seq;

    /** An event and what it was charged when offered (the mode may change before it is written). */
    private record Queued(WatchEvent event, int charge) {
    }

    Subscriber(WatchHub hub, Channel channel) {
        this.hub = hub;
        this.channel = channel;
        this.heartbeat = channel.eventLoop().scheduleAtFixedRate(this::heartbeat, 1, 1, TimeUnit.SECONDS);
        channel.closeFuture().addListener(f -> closed());
    }

    PrefixFilter filter() {
        return filter;
    }

    /**
     * Replaces what this subscription wants (event loop): events queued under the old filter are
     * written to {@code out} first, then the {@code MW} line; events after it follow the new filter.
     */
    void replace(PrefixFilter next, ByteBuf out) {
        drainTo(out, filter);
        filter = next;
        out.writeCharSequence("MW " + hub.bootIdHex() + " " + Long.toUnsignedString(seq) + "\r\n", StandardCharsets.US_ASCII);
    }

    /** Queues {@code e} (any thread, shard lock held): no I/O, no blocking. */
    void offer(WatchEvent e, boolean values) {
        if (closed) {
            return;
        }
        int charge = e.charge(values);
        if (pendingBytes.addAndGet(charge) > hub.bufferLimit()) {
            overflow();
            return;
        }
        queue.add(new Queued(e, charge));
        if (drainScheduled.compareAndSet(false, true)) {
            runOnLoop(this::drain);
        }
    }

    /** Writes everything queued (event loop). */
    private void drain() {
        drainScheduled.set(false);
        if (closed) {
            queue.clear();
            return;
        }
        PrefixFilter f = filter;
        ByteBuf buf = null;
        long charged = 0;
        Queued q;
        while ((q = queue.poll()) != null) {
            charged += q.charge();
            WatchEvent e = q.event();
            if (!f.wants(e)) {
                continue; // queued under a filter an mr_watch has since replaced
            }
            if (buf == null) {
                buf = channel.alloc().buffer(4096);
            }
            e.encode(buf, ++seq, f.values);
            hub.countSent();
            if (buf.readableBytes() >= WRITE_CHUNK) {
                write(buf, charged);
                buf = null;
                charged = 0;
            }
        }
        if (buf != null) {
            write(buf, charged);
        } else if (charged > 0) {
            pendingBytes.addAndGet(-charged);
        }
        channel.flush();
    }

    /** As {@link #drain}, into the reply buffer of the command being answered, with filter {@code f}. */
    private void drainTo(ByteBuf out, PrefixFilter f) {
        long charged = 0;
        Queued q;
        while ((q = queue.poll()) != null) {
            charged += q.charge();
            WatchEvent e = q.event();
            if (f.wants(e)) {
                e.encode(out, ++seq, f.values);
                hub.countSent();
            }
        }
        pendingBytes.addAndGet(-charged);
    }

    private void write(ByteBuf buf, long charged) {
        channel.write(buf).addListener(f -> pendingBytes.addAndGet(-charged));
    }

    /** Every second: what is queued, then {@code MH <seq>}, unless the peer is not reading what it has. */
    private void heartbeat() {
        if (closed) {
            return;
        }
        drain();
        if (channel.isWritable()) {
            channel.writeAndFlush(Unpooled.copiedBuffer("MH " + Long.toUnsignedString(seq) + "\r\n", StandardCharsets.US_ASCII),
                    channel.voidPromise());
        }
    }

    private void overflow() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        hub.countOverflow();
        log.info("{}: mutation-stream subscriber over its {}-byte output bound: closing it", channel, hub.bufferLimit());
        runOnLoop(() -> {
            queue.clear();
            channel.writeAndFlush(Unpooled.wrappedBuffer(OVERFLOW)).addListener(ChannelFutureListener.CLOSE);
            // A peer that does not read never takes MO: do not wait for it.
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, 1, TimeUnit.SECONDS);
        });
    }

    /** Hands {@code task} to the event loop; a loop shutting down (node closing) drops it, never the writer's command. */
    private void runOnLoop(Runnable task) {
        try {
            channel.eventLoop().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            closed = true;
        }
    }

    private void closed() {
        closed = true;
        heartbeat.cancel(false);
        queue.clear();
        hub.remove(this);
    }
}
