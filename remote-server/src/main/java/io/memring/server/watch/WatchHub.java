package io.memring.server.watch;

import io.memring.server.stats.StatSink;
import io.memring.server.storage.ItemView;
import io.memring.server.storage.MutationListener;
import io.memring.server.storage.Storage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's mutation stream: hears every change from storage (as a {@link MutationListener}, shard
 * lock held) and offers an event to each {@link Subscriber} whose filter matches. With no subscriber a
 * report costs one volatile read; keys and values are copied only when some subscriber matches, values
 * only when one of those wants them. Replica, catch-up and flush applies never reach a listener, so
 * they are never events.
 */
public final class WatchHub implements MutationListener {
    private static final Subscriber[] NONE = new Subscriber[0];

    /** How often a delayed flush's second is looked for once it is less than a second away. */
    private static final long FLUSH_POLL_MILLIS = 20;

    private final Storage storage;
    private final ScheduledExecutorService timer;
    /** Counts flush_all commands: a delayed flush is announced only if no later one replaced it. */
    private final AtomicLong flushes = new AtomicLong();
    /**
     * The one announcement of a delayed flush waiting on the timer (memcached keeps one pending flush
     * time; so does this): each new one cancels the one before, so a flood of {@code flush_all <delay>}
     * holds one task, not one per command. Guarded by {@code this}.
     */
    private ScheduledFuture<?> pendingAnnouncement;
    private final long bufferLimit;
    private final long totalLimit;
    private final long bootId;
    private final String bootIdHex;
    private final LongAdder eventsSent = new LongAdder();
    private final LongAdder overflows = new LongAdder();
    private final LongAdder totalOverflows = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    /** Bytes charged to all subscribers together (queued events and output Netty still holds). */
    private final AtomicLong pendingBytes = new AtomicLong();
    private volatile Subscriber[] subscribers = NONE;
    /** Test seam: runs after an event is built and before it is offered (null = none). */
    private volatile Runnable beforeOffer;

    /**
     * @param bufferLimit bytes one subscriber may have pending ({@code watch_buffer_bytes})
     * @param totalLimit bytes all subscribers together may have pending before those holding more than
     *     an equal share are dropped ({@code watch_total_bytes})
     * @param timer runs the announcements of delayed flushes when they take effect; it must drop a
     *     cancelled task at once ({@link java.util.concurrent.ScheduledThreadPoolExecutor#setRemoveOnCancelPolicy}),
     *     or a replaced announcement waits in its queue until its time (days, for {@code flush_all 2000000})
     */
    public WatchHub(Storage storage, long bufferLimit, long totalLimit, ScheduledExecutorService timer) {
        this.storage = storage;
        this.timer = timer;
        this.bufferLimit = bufferLimit;
        this.totalLimit = totalLimit;
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        this.bootId = id;
        this.bootIdHex = String.format("%016x", id);
    }

    public long bootId() {
        return bootId;
    }

    String bootIdHex() {
        return bootIdHex;
    }

    long bufferLimit() {
        return bufferLimit;
    }

    long totalLimit() {
        return totalLimit;
    }

    /** Returns what one subscriber may hold while the total is over its bound: an equal share of it. */
    long fairShare() {
        return totalLimit / Math.max(1, subscribers.length);
    }

    /** Adds {@code bytes} (negative: releases) to the total charged to subscribers; returns the new total. */
    long charge(long bytes) {
        return pendingBytes.addAndGet(bytes);
    }

    void countSent() {
        eventsSent.increment();
    }

    /** A subscriber was dropped: over its own bound, or ({@code total}) over its share of the node-wide one. */
    void countOverflow(boolean total) {
        overflows.increment();
        if (total) {
            totalOverflows.increment();
        }
    }

    void countSkipped() {
        skipped.increment();
    }

    /** Test seam: {@code hook} runs on the writing thread after each event is built, before it is offered. */
    void beforeOffer(Runnable hook) {
        this.beforeOffer = hook;
    }

    /**
     * {@code mr_watch} on {@code channel} (its event loop): subscribes it, or replaces what its
     * subscription {@code current} (null = none yet) wants, writing the {@code MW} line (after any
     * events still owed under the old filter) to {@code out}. Returns the subscription.
     */
    public Subscriber watch(Channel channel, Subscriber current, long clientId, boolean values, byte[][] prefixes,
                            ByteBuf out) {
        Subscriber s = current;
        if (s == null) {
            s = new Subscriber(this, channel);
            add(s);
            if (!channel.isActive()) {
                remove(s); // closed meanwhile: its close listener may have run before add
            }
        }
        s.replace(new PrefixFilter(clientId, values, prefixes.clone()), out);
        return s;
    }

    private synchronized void add(Subscriber s) {
        Subscriber[] now = subscribers;
        Subscriber[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = s;
        subscribers = next;
    }

    synchronized void remove(Subscriber s) {
        Subscriber[] now = subscribers;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == s) {
                Subscriber[] next = new Subscriber[now.length - 1];
                System.arraycopy(now, 0, next, 0, i);
                System.arraycopy(now, i + 1, next, i, now.length - i - 1);
                subscribers = next;
                return;
            }
        }
    }

    /**
     * Writes {@code watch_subscribers}, {@code watch_events_sent}, {@code watch_overflows} (subscribers
     * dropped for either bound), {@code watch_total_overflows} (of those, for the node-wide one),
     * {@code watch_bytes} (output the subscribers hold now) and {@code watch_skipped} (sequence numbers
     * skipped for events that raced a switch to values mode).
     */
    public void writeStats(StatSink out) {
        out.stat("watch_subscribers", subscribers.length);
        out.stat("watch_events_sent", eventsSent.sum());
        out.stat("watch_overflows", overflows.sum());
        out.stat("watch_total_overflows", totalOverflows.sum());
        out.stat("watch_bytes", pendingBytes.get()); // never clamped: a negative total is a release too many
        out.stat("watch_skipped", skipped.sum());
    }

    // ---------------------------------------------------------------- MutationListener (shard lock held)

    @Override
    public void stored(ItemView item) {
        stored(item, null, false);
    }

    @Override
    public void stored(ItemView item, ItemView previous, boolean created) {
        Subscriber[] subs = subscribers;
        if (subs.length == 0) {
            return;
        }
        publish(subs, created ? (byte) 'N' : (byte) 'U', item, previous, null, true, item.cas(), WriteOrigin.current());
    }

    /** incr/decr: an update whose old value is the count before, under the item's own flags. */
    @Override
    public void counted(ItemView item, byte[] oldValue) {
        Subscriber[] subs = subscribers;
        if (subs.length == 0) {
            return;
        }
        publish(subs, (byte) 'U', item, null, oldValue, true, item.cas(), WriteOrigin.current());
    }

    @Override
    public void removed(ItemView item, Removal cause) {
        Subscriber[] subs = subscribers;
        if (subs.length == 0) {
            return;
        }
        switch (cause) {
            case DELETED -> publish(subs, WriteOrigin.isClearing() ? (byte) 'C' : (byte) 'D', item, item, null, false,
                    storage.versions().next(), WriteOrigin.current());
            case EVICTED -> publish(subs, (byte) 'E', item, item, null, false, item.cas(), 0);
            case EXPIRED -> publish(subs, (byte) 'X', item, item, null, false, item.cas(), 0);
            default -> {
                // FLUSHED: the flush itself was the event (F)
            }
        }
    }

    @Override
    public void flushed(long exptime) {
        flushed(exptime, 0);
    }

    /**
     * An immediate flush is announced at once, with its watermark. A delayed one ({@code flush_all <n>},
     * watermark 0) changes nothing until it takes effect, so it is announced then, from the timer:
     * at the start of memcached's {@code oldest_live} second (every item older is dead from then on)
     * and again at the start of the next one, since memcached's rule also kills what is written or
     * read during that second. Each announcement carries a version taken then (every item it killed
     * is older) and exptime 0. A flush replaced before it took effect (a later {@code flush_all},
     * a replicated flush) is never announced.
     */
    @Override
    public void flushed(long exptime, long watermark) {
        flushAccepted(exptime, watermark, WriteOrigin.current());
    }

    /**
     * A peer's flush applied here kills this node's items as one of its own would: announced the same
     * way (origin 0, no client of this node wrote it). {@code unixTime} is an exptime memcached's
     * rules read as a unix time (peers ship delayed flushes as one).
     */
    @Override
    public void flushApplied(long unixTime, long watermark) {
        flushAccepted(unixTime, watermark, 0);
    }

    private void flushAccepted(long exptime, long watermark, long origin) {
        long generation = flushes.incrementAndGet();
        if (watermark != 0 || exptime <= 0) {
            schedule(generation, null, 0); // drops a pending delayed flush's announcement: it was replaced
            announceFlush(watermark, origin);
            return;
        }
        int oldestLive = storage.oldestLive();
        announceWhenDue(generation, oldestLive, oldestLive, origin);
    }

    /** Announces the delayed flush {@code generation} once the node's clock reaches second {@code at}. */
    private void announceWhenDue(long generation, int oldestLive, int at, long origin) {
        if (flushes.get() != generation || storage.oldestLive() != oldestLive) {
            return; // replaced before it took effect: the later flush is announced instead
        }
        int now = storage.clock().now();
        if (now < at) {
            long millis = at - now >= 2 ? (at - now - 1) * 1000L : FLUSH_POLL_MILLIS;
            schedule(generation, () -> announceWhenDue(generation, oldestLive, at, origin), millis);
            return;
        }
        announceFlush(storage.versions().next(), origin);
        if (at == oldestLive) {
            schedule(generation, () -> announceWhenDue(generation, oldestLive, oldestLive + 1, origin), FLUSH_POLL_MILLIS);
        }
    }

    /**
     * Makes {@code task} (null: none) the one pending announcement, for flush {@code generation}; a flush
     * accepted since has its own, so then nothing changes.
     */
    private synchronized void schedule(long generation, Runnable task, long millis) {
        if (flushes.get() != generation) {
            return;
        }
        if (pendingAnnouncement != null) {
            pendingAnnouncement.cancel(false);
            pendingAnnouncement = null;
        }
        if (task == null) {
            return;
        }
        try {
            pendingAnnouncement = timer.schedule(task, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the node is closing: nobody is left to hear it
        }
    }

    /** Offers an {@code F} event with {@code version} to every subscriber with prefixes (not to the flush's origin). */
    private void announceFlush(long version, long origin) {
        Subscriber[] subs = subscribers;
        if (subs.length == 0) {
            return;
        }
        WatchEvent e = new WatchEvent((byte) 'F', null, version, origin, 0, -1, 0, null, null);
        for (Subscriber s : subs) {
            PrefixFilter f = s.filter();
            if (f.wants(null, origin)) {
                s.offer(e, f.values);
            }
        }
    }

    /**
     * Builds one event for {@code item} and offers it to each subscriber that wants it. {@code previous}
     * (nullable) holds the old value; without it {@code oldCopy} (nullable) is the old value already
     * copied, under {@code item}'s flags (incr/decr). {@code itemHasValue} says whether {@code item}'s
     * value is the new one.
     */
    private void publish(Subscriber[] subs, byte kind, ItemView item, ItemView previous, byte[] oldCopy, boolean itemHasValue,
                         long version, long origin) {
        byte[] key = item.key();
        boolean any = false;
        boolean values = false;
        for (Subscriber s : subs) {
            PrefixFilter f = s.filter();
            if (f.wants(key, origin)) {
                any = true;
                values |= f.values;
            }
        }
        if (!any) {
            return;
        }
        byte[] oldValue = !values ? null : previous != null ? copyValue(previous) : oldCopy;
        byte[] newValue = values && itemHasValue ? copyValue(item) : null;
        long oldFlags = previous != null ? previous.clientFlags() & 0xffffffffL
                : oldCopy != null ? item.clientFlags() & 0xffffffffL : -1;
        WatchEvent e = new WatchEvent(kind, key, version, origin, item.clientFlags(), oldFlags,
                storage.toUnixExptime(item.exptime()), oldValue, newValue, !values);
        Runnable hook = beforeOffer;
        if (hook != null) {
            hook.run();
        }
        for (Subscriber s : subs) {
            PrefixFilter f = s.filter();
            if (f.wants(key, origin)) {
                s.offer(e, f.values);
            }
        }
    }

    private static byte[] copyValue(ItemView item) {
        byte[] value = new byte[item.valueLength()];
        ByteBuf into = Unpooled.wrappedBuffer(value);
        into.writerIndex(0);
        item.copyValue(into);
        return value;
    }
}
