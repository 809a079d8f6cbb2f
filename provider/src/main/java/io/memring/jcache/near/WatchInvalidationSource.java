package io.memring.jcache.near;

import io.memring.client.MemcacheClient;
import io.memring.client.NodeStatus;
import io.memring.client.watch.Mutation;
import io.memring.client.watch.MutationKind;
import io.memring.client.watch.MutationSink;
import io.memring.client.watch.ResetReason;
import io.memring.client.watch.WatchMode;
import io.memring.client.watch.WatchSubscription;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Near caches subscribed to the client's mutation streams ({@link MemcacheClient#watch}): keys mode
 * (an invalidation needs no value), one watch per prefix of the cache. A flush or a reset of a node
 * drops that node's near entries; any other change drops the key's.
 */
public final class WatchInvalidationSource implements InvalidationSource {
    /** memcached's longest relative expiry (30 days): a delayed flush further off is not scheduled. */
    private static final long MAX_FLUSH_DELAY_MILLIS = 30L * 24 * 3600 * 1000;

    private final MemcacheClient client;
    private final String ringId;

    public WatchInvalidationSource(MemcacheClient client) {
        this.client = client;
        this.ringId = client.nodeStatus().stream().map(NodeStatus::address).map(String::valueOf).sorted()
                .collect(Collectors.joining(","));
    }

    @Override
    public String ringId() {
        return ringId;
    }

    @Override
    public InvalidationFeed subscribe(List<byte[]> prefixes, NearListener listener) {
        MutationSink sink = new MutationSink() {
            @Override
            public void mutation(Mutation m) {
                if (m.kind() == MutationKind.FLUSHED) {
                    listener.flushed(m.node());
                    dropAgainWhenDue(m, listener);
                } else {
                    listener.invalidate(m.key());
                }
            }

            @Override
            public void reset(InetSocketAddress node, ResetReason reason) {
                listener.reset(node, reason.name());
            }
        };
        List<WatchSubscription> subscriptions = new ArrayList<>(prefixes.size());
        for (byte[] prefix : prefixes) {
            subscriptions.add(client.watch(prefix, false, sink));
        }
        return new Feed(client, subscriptions);
    }

    /**
     * Memring nodes announce a delayed {@code flush_all} when it takes effect (exptime 0: nothing to
     * schedule). A node that announces it at once instead, with its unix time as exptime (Memring nodes
     * before 2026-11-28's remote-server change did), pushes nothing at that time: reads meanwhile rightly
     * bring entries back, and those must go when it takes effect. Dropped at that second and once more a
     * second later (the node's clock ticks in seconds); a time further off than memcached's 30-day
     * relative limit is not scheduled.
     */
    private static void dropAgainWhenDue(Mutation m, NearListener listener) {
        if (m.exptime() <= 0) {
            return;
        }
        long delay = m.exptime() * 1000 - System.currentTimeMillis();
        if (delay > MAX_FLUSH_DELAY_MILLIS) {
            return;
        }
        InetSocketAddress node = m.node();
        long first = Math.max(0, delay);
        CompletableFuture.delayedExecutor(first, TimeUnit.MILLISECONDS).execute(() -> listener.flushed(node));
        CompletableFuture.delayedExecutor(first + 1000, TimeUnit.MILLISECONDS).execute(() -> listener.flushed(node));
    }

    /** The subscriptions of one near cache, as one feed: the weakest mode, live where all are live. */
    private record Feed(MemcacheClient client, List<WatchSubscription> subscriptions) implements InvalidationFeed {
        @Override
        public Mode mode() {
            if (subscriptions.isEmpty()) {
                return Mode.NONE;
            }
            Mode weakest = Mode.PUSH;
            for (WatchSubscription s : subscriptions) {
                Mode m = of(s.mode());
                if (m.ordinal() > weakest.ordinal()) {
                    weakest = m;
                }
            }
            return weakest;
        }

        private static Mode of(WatchMode m) {
            return switch (m) {
                case PUSH -> Mode.PUSH;
                case BEST_EFFORT -> Mode.BEST_EFFORT;
                case NONE -> Mode.NONE;
            };
        }

        @Override
        public boolean live(InetSocketAddress node) {
            if (subscriptions.isEmpty()) {
                return false;
            }
            for (WatchSubscription s : subscriptions) {
                if (!s.live(node)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public InetSocketAddress ownerOf(byte[] serverKey) {
            return client.ownerOf(serverKey);
        }

        @Override
        public void close() {
            subscriptions.forEach(WatchSubscription::close);
        }
    }
}
