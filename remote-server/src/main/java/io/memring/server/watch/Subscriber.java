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
 * queued plus output Netty still holds never exceed the node's {@code watch_buffer_bytes}. The same
 * bytes are charged to the hub's total ({@code watch_total_bytes}): once the subscribers together
 * would hold more, a subscriber holding more than an equal share of it is over its bound too. Past
 * either bound the subscription is over: {@code MO}, then the connection is closed (at once if the
 * peer does not read).
 *
 * <p>An event that reaches a values-mode subscriber without its values (built while this subscriber
 * was still in keys mode, written after its switch) is not sent as it is: its sequence number is
 * skipped instead, so the client sees a gap and knows it missed something.
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
        long mine = pendingBytes.addAndGet(charge);
        long all = hub.charge(charge);
        if (mine > hub.bufferLimit()) {
            release(charge);
            overflow(false);
            return;
        }
        if (all > hub.totalLimit() && mine > hub.fairShare()) {
            release(charge);
            overflow(true);
            return;
        }
        Queued q = new Queued(e, charge);
        queue.add(q);
        if (closed && queue.remove(q)) {
            release(charge); // closed meanwhile, after its queue was emptied: nobody else releases it
            return;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            runOnLoop(this::drain);
        }
    }

    /** Uncharges {@code bytes} from this subscriber and from the hub's total. */
    private void release(long bytes) {
        pendingBytes.addAndGet(-bytes);
        hub.charge(-bytes);
    }

    /** Empties the queue, uncharging what it held (the subscription is over). */
    private void discardQueued() {
        long charged = 0;
        Queued q;
        while ((q = queue.poll()) != null) {
            charged += q.charge();
        }
        if (charged > 0) {
            release(charged);
        }
    }

    /** Writes everything queued (event loop). */
    private void drain() {
        drainScheduled.set(false);
        if (closed) {
            discardQueued();
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
            if (f.values && e.valuesOmitted) {
                skip();
                continue;
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
            release(charged);
        }
        channel.flush();
    }

    /**
     * An event this values-mode subscriber wants but that was built without values (it raced the
     * subscriber's switch from keys mode): its number is used up unsent, so the client sees a gap at
     * the next event or heartbeat, resets this node and resubscribes, rather than hearing a change
     * whose values its listeners need as one without them.
     */
    private void skip() {
        ++seq;
        hub.countSkipped();
    }

    /** As {@link #drain}, into the reply buffer of the command being answered, with filter {@code f}. */
    private void drainTo(ByteBuf out, PrefixFilter f) {
        long charged = 0;
        Queued q;
        while ((q = queue.poll()) != null) {
            charged += q.charge();
            WatchEvent e = q.event();
            if (f.wants(e)) {
                if (f.values && e.valuesOmitted) {
                    skip();
                    continue;
                }
                e.encode(out, ++seq, f.values);
                hub.countSent();
            }
        }
        if (charged > 0) {
            release(charged);
        }
    }

    private void write(ByteBuf buf, long charged) {
        channel.write(buf).addListener(f -> release(charged));
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

    /** Ends the subscription: over its own bound, or ({@code total}) over its share of the node-wide one. */
    private void overflow(boolean total) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        hub.countOverflow(total);
        if (total) {
            log.info("{}: mutation-stream subscribers would hold more than their {}-byte total, this one more than its share: closing it",
                    channel, hub.totalLimit());
        } else {
            log.info("{}: mutation-stream subscriber over its {}-byte output bound: closing it", channel, hub.bufferLimit());
        }
        discardQueued();
        runOnLoop(() -> {
            discardQueued();
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
            discardQueued();
        }
    }

    private void closed() {
        closed = true;
        heartbeat.cancel(false);
        discardQueued();
        hub.remove(this);
    }
}
