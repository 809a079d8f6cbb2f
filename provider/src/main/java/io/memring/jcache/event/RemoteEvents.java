package io.memring.jcache.event;

import io.memring.client.watch.Mutation;
import io.memring.client.watch.MutationSink;
import io.memring.client.watch.ResetReason;
import io.memring.client.watch.WatchMode;
import io.memring.client.watch.WatchSubscription;
import io.memring.jcache.store.ChangeSource;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cache's events caused by other JVMs: while the cache has listeners it is subscribed (values
 * mode) to the cache's namespace on every node, and each change a node pushes is mapped
 * ({@link RemoteEventMapper}) and delivered on the cache's event thread to every listener whose filter
 * accepts it, synchronous listeners included.
 *
 * <p>The guarantee is <b>at most once</b>: the nodes never echo this CacheManager's own writes (its
 * listeners heard those locally), and what a node accepted while the subscription was broken (a
 * disconnect, a sequence gap, a restarted node, a missed heartbeat, an overflowing subscriber) is not
 * replayed; each such reset is logged at INFO and counted ({@link #resets()}). Events are also dropped,
 * and counted ({@link #dropped()}), when more than {@link #MAX_PENDING} (or {@link #MAX_PENDING_BYTES}
 * of keys and values) wait for slow listeners. A clear
 * ({@code C}), an eviction ({@code E}: JCache has no eviction event) and a flush ({@code F}) raise none.
 *
 * <p>The client's watch thread only queues ({@link #mutation} never blocks and never deserializes);
 * decoding, filters and listeners run on the event thread.
 */
public final class RemoteEvents<K, V> implements RemoteListening, MutationSink, RemoteEventsMXBean {
    private static final Logger log = LoggerFactory.getLogger(RemoteEvents.class);
    /** Events queued for the event thread at most; beyond, they are dropped and counted. */
    public static final int MAX_PENDING = 10_000;
    /** Bytes (keys and values) queued for the event thread at most: values may be up to a node's item size each. */
    public static final long MAX_PENDING_BYTES = 32L << 20;

    private final String cacheName;
    private final EventDispatcher<K, V> dispatcher;
    private final ChangeSource source;
    private final RemoteEventMapper<K, V> mapper;
    private final LongSupplier clock;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    /** Whether the last queued event found the queue full: the overflow is logged once per episode. */
    private volatile boolean overflowing;
    private volatile boolean listening;
    /** Guarded by {@code this}. */
    private WatchSubscription subscription;

    public RemoteEvents(String cacheName, EventDispatcher<K, V> dispatcher, ChangeSource source, RemoteEventMapper<K, V> mapper,
                        LongSupplier clock) {
        this.cacheName = cacheName;
        this.dispatcher = dispatcher;
        this.source = source;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        if (subscription != null) {
            return;
        }
        listening = true;
        try {
            subscription = source.watch(this);
        } catch (RuntimeException e) {
            listening = false;
            log.warn("cache {}: cannot subscribe to other JVMs' changes; its listeners hear only this CacheManager", cacheName, e);
            return;
        }
        WatchMode mode = subscription.mode();
        if (mode == WatchMode.PUSH) {
            log.debug("cache {}: listeners also hear other JVMs' changes", cacheName);
        } else {
            log.info("cache {}: the nodes push no changes with values (watch mode {}); its listeners hear only this CacheManager",
                    cacheName, mode);
        }
    }

    @Override
    public synchronized void stop() {
        listening = false;
        if (subscription != null) {
            WatchSubscription s = subscription;
            subscription = null;
            s.close();
        }
    }

    @Override
    public void mutation(Mutation m) {
        if (!listening || !raisesEvent(m)) {
            return;
        }
        received.incrementAndGet();
        long size = sizeOf(m);
        int queued = pending.incrementAndGet();
        long queuedBytes = pendingBytes.addAndGet(size);
        if (queued > MAX_PENDING || queuedBytes > MAX_PENDING_BYTES) {
            pending.decrementAndGet();
            pendingBytes.addAndGet(-size);
            dropped.incrementAndGet();
            if (!overflowing) {
                overflowing = true;
                log.info("cache {}: more than {} events (or {} MB) from other JVMs wait for slow listeners; dropping events "
                        + "until they catch up", cacheName, MAX_PENDING, MAX_PENDING_BYTES >> 20);
            }
            return;
        }
        overflowing = false;
        long arrivedAt = clock.getAsLong();
        if (!dispatcher.onEventThread(() -> {
            try {
                deliver(m, arrivedAt);
            } finally {
                pending.decrementAndGet();
                pendingBytes.addAndGet(-size);
            }
        })) {
            pending.decrementAndGet(); // closed meanwhile
            pendingBytes.addAndGet(-size);
        }
    }

    /** What a queued change holds on to, roughly. */
    private static long sizeOf(Mutation m) {
        return 64L + m.key().length + (m.oldValue() == null ? 0 : m.oldValue().length)
                + (m.newValue() == null ? 0 : m.newValue().length);
    }

    /** Clears, evictions and flushes raise no JCache event; neither does anything without values. */
    private static boolean raisesEvent(Mutation m) {
        return switch (m.kind()) {
            case CREATED, UPDATED, DELETED, EXPIRED -> true;
            case CLEARED, EVICTED, FLUSHED -> false;
        };
    }

    /** On the event thread: map and deliver one change. */
    private void deliver(Mutation m, long arrivedAt) {
        if (!listening) {
            return;
        }
        RemoteEvent<K, V> event;
        try {
            event = map(m, arrivedAt);
        } catch (RuntimeException e) {
            // CacheException from our codecs, anything at all from a user's serializer: no event, counted,
            // and the event thread goes on with the next change
            long n = undecodable.incrementAndGet();
            if (n == 1 || Long.bitCount(n) == 1) { // the 1st, 2nd, 4th, ...: visible without flooding the log
                log.warn("cache {}: no event for a change another client made ({} so far): {}", cacheName, n,
                        e instanceof CacheException ? e.getMessage() : e.toString());
            }
            return;
        }
        if (event != null) {
            dispatcher.deliverRemote(event);
            delivered.incrementAndGet();
        }
    }

    private RemoteEvent<K, V> map(Mutation m, long arrivedAt) {
        long at = RemoteEventMapper.writeTime(m.version(), arrivedAt);
        return switch (m.kind()) {
            case CREATED -> mapper.created(m.key(), m.flags(), m.version(), m.newValue());
            case UPDATED -> mapper.updated(m.key(), m.oldFlags(), m.flags(), m.version(), at, m.oldValue(), m.newValue());
            case DELETED -> mapper.deleted(m.key(), m.flags(), m.version(), at, m.oldValue());
            case EXPIRED -> mapper.expired(m.key(), m.flags(), m.version(), m.oldValue());
            case CLEARED, EVICTED, FLUSHED -> null;
        };
    }

    @Override
    public void reset(InetSocketAddress node, ResetReason reason) {
        if (!listening) {
            return;
        }
        long n = resets.incrementAndGet();
        log.info("cache {}: the change stream from {} was reset ({}); changes other JVMs made there meanwhile raise no events "
                + "here ({} resets so far)", cacheName, node, reason, n);
    }

    /** Returns the changes pushed that can raise an event, received while listening (before the queue bound and mapping). */
    public long received() {
        return received.get();
    }

    /** Returns the events from other JVMs delivered to listeners (after mapping; filters may still have dropped them). */
    public long delivered() {
        return delivered.get();
    }

    /** Returns the events dropped because too many waited for slow listeners. */
    public long dropped() {
        return dropped.get();
    }

    /** Returns how often a node's stream was reset (events in the gap are lost). */
    public long resets() {
        return resets.get();
    }

    /** Returns the changes whose key or value this cache could not deserialize (no event). */
    public long undecodable() {
        return undecodable.get();
    }

    @Override
    public long getReceived() {
        return received();
    }

    @Override
    public long getDelivered() {
        return delivered();
    }

    @Override
    public long getDropped() {
        return dropped();
    }

    @Override
    public long getResets() {
        return resets();
    }

    @Override
    public long getUndecodable() {
        return undecodable();
    }

    @Override
    public boolean isListening() {
        return listening;
    }
}
