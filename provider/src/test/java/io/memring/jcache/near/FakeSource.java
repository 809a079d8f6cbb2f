package io.memring.jcache.near;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** An invalidation source the test drives: its mode, which nodes are live, who owns a key; listeners to call. */
final class FakeSource implements InvalidationSource {
    static final InetSocketAddress NODE_A = InetSocketAddress.createUnresolved("a", 1);
    static final InetSocketAddress NODE_B = InetSocketAddress.createUnresolved("b", 2);

    volatile InvalidationFeed.Mode mode = InvalidationFeed.Mode.PUSH;
    final Set<InetSocketAddress> live = ConcurrentHashMap.newKeySet();
    /** Keys whose first byte is even belong to A, odd to B. */
    volatile Function<byte[], InetSocketAddress> owner = k -> k.length > 0 && (k[0] & 1) == 1 ? NODE_B : NODE_A;
    final List<NearListener> listeners = new CopyOnWriteArrayList<>();
    final List<List<byte[]>> subscriptions = new CopyOnWriteArrayList<>();
    volatile int closed;
    private final String ringId;

    FakeSource(String ringId) {
        this.ringId = ringId;
        live.add(NODE_A);
        live.add(NODE_B);
    }

    @Override
    public InvalidationFeed subscribe(List<byte[]> prefixes, NearListener listener) {
        listeners.add(listener);
        subscriptions.add(prefixes);
        return new InvalidationFeed() {
            @Override
            public Mode mode() {
                return mode;
            }

            @Override
            public boolean live(InetSocketAddress node) {
                return live.contains(node);
            }

            @Override
            public InetSocketAddress ownerOf(byte[] serverKey) {
                return owner.apply(serverKey);
            }

            @Override
            public void close() {
                closed++;
                listeners.remove(listener);
            }
        };
    }

    @Override
    public String ringId() {
        return ringId;
    }

    /** A node says {@code serverKey} changed. */
    void invalidate(byte[] serverKey) {
        listeners.forEach(l -> l.invalidate(serverKey));
    }

    void reset(InetSocketAddress node) {
        listeners.forEach(l -> l.reset(node, "GAP"));
    }
}
