package io.memring.client.watch;

import io.memring.client.ClientConfig;
import io.memring.client.security.ConnectionSetup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's mutation streams: one {@link NodeWatch} connection per node, opened on the first
 * {@link #watch}, subscribed to the union of the live subscriptions ({@link Interest}), and one watch
 * thread that calls every sink, in each node's order. A subscription hears a node only after that node
 * acknowledged an interest that includes it ({@link MutationSink#subscribed}).
 */
public final class Watcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Watcher.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final long clientId;
    private final ClientConfig config;
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final List<Sub> subs = new CopyOnWriteArrayList<>();
    private final List<NodeWatch> nodes = new ArrayList<>(); // guarded by this
    private ExecutorService thread; // guarded by this
    private volatile Interest interest;
    private long generation; // guarded by this
    private boolean closed; // guarded by this
    private final ConnectionSetup setup;

    public Watcher(long clientId, ClientConfig config, EventLoopGroup group, Class<? extends SocketChannel> channelType) {
        this(clientId, config, group, channelType, ConnectionSetup.of(config.tls(), config.credentials(), config.connectTimeout()));
    }

    /** {@code setup}: the client's TLS and authentication, done on each watch connection before its first line. */
    public Watcher(long clientId, ClientConfig config, EventLoopGroup group, Class<? extends SocketChannel> channelType,
                   ConnectionSetup setup) {
        this.setup = setup;
        this.clientId = clientId;
        this.config = config;
        this.group = group;
        this.channelType = channelType;
        this.interest = Interest.of(0, List.of(), false, clientId);
    }

    long clientId() {
        return clientId;
    }

    Interest interest() {
        return interest;
    }

    /**
     * Subscribes {@code sink} to changes of keys starting with {@code prefix}; returns once every
     * reachable node acknowledged, or after the connect timeout.
     */
    public WatchSubscription watch(byte[] prefix, boolean withValues, MutationSink sink) {
        if (prefix == null || prefix.length == 0 || prefix.length > 250) {
            throw new IllegalArgumentException("a watch prefix has 1 to 250 bytes");
        }
        if (sink == null) {
            throw new NullPointerException("sink");
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        Sub sub;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("client closed");
            }
            sub = new Sub(prefix.clone(), withValues, sink, generation + 1);
            subs.add(sub);
            Interest next;
            try {
                next = recompute(generation + 1);
            } catch (IllegalArgumentException e) {
                subs.remove(sub); // the node could not take the union: refuse this one, keep the others
                throw e;
            }
            generation++;
            startIfNeeded();
            for (NodeWatch n : nodes) {
                acks.add(n.update(next));
            }
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.info("watch of {} prefix: not every node acknowledged within {} ms", prefix.length, config.connectTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // acknowledgements never fail
        }
        return sub;
    }

    private void startIfNeeded() {
        if (thread != null) {
            return;
        }
        int n = THREADS.incrementAndGet();
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "memring-watch-" + n);
            t.setDaemon(true);
            return t;
        });
        for (InetSocketAddress a : config.servers()) {
            NodeWatch w = new NodeWatch(a, this, config, group.next(), channelType, setup);
            nodes.add(w);
        }
        nodes.forEach(NodeWatch::start);
    }

    /** Recomputes the union (lock held) under a new generation and returns it. */
    private Interest recompute() {
        return recompute(generation);
    }

    /** As {@link #recompute()}, under {@code gen}; leaves {@link #interest} alone if the union cannot be expressed. */
    private Interest recompute(long gen) {
        List<byte[]> prefixes = new ArrayList<>();
        boolean values = false;
        for (Sub s : subs) {
            prefixes.add(s.prefix);
            values |= s.values;
        }
        interest = Interest.of(gen, prefixes, values, clientId);
        return interest;
    }

    private void remove(Sub sub) {
        synchronized (this) {
            if (!subs.remove(sub) || closed) {
                return;
            }
            generation++;
            Interest next = recompute();
            for (NodeWatch n : nodes) {
                n.update(next);
            }
        }
    }

    /** Returns the weakest mode among the nodes known so far. */
    WatchMode mode() {
        WatchMode mode = WatchMode.PUSH;
        synchronized (this) {
            for (NodeWatch n : nodes) {
                if (n.kind() == NodeWatch.Kind.NONE) {
                    return WatchMode.NONE;
                }
                if (n.kind() == NodeWatch.Kind.STOCK) {
                    mode = WatchMode.BEST_EFFORT;
                }
            }
        }
        return mode;
    }

    private NodeWatch node(InetSocketAddress address) {
        synchronized (this) {
            for (NodeWatch n : nodes) {
                if (n.address().equals(address)) {
                    return n;
                }
            }
        }
        return null;
    }

    /** Runs {@code task} on the watch thread. */
    void post(Runnable task) {
        ExecutorService t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && !t.isShutdown()) {
            try {
                t.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    // ---------------------------------------------------------------- on the watch thread

    void deliverSubscribed(InetSocketAddress node, long bootId, long ackedGeneration) {
        for (Sub s : subs) {
            if (!s.closed && s.generation <= ackedGeneration && s.announced.add(node)) {
                try {
                    s.sink.subscribed(node, bootId);
                } catch (RuntimeException e) {
                    log.warn("watch sink failed on subscribed({})", node, e);
                }
            }
        }
    }

    void deliverMutation(Mutation m) {
        for (Sub s : subs) {
            if (!s.closed && s.announced.contains(m.node())
                    && (m.kind() == MutationKind.FLUSHED || Interest.startsWith(m.key(), s.prefix))) {
                try {
                    s.sink.mutation(m);
                } catch (RuntimeException e) {
                    log.warn("watch sink failed on a mutation from {}", m.node(), e);
                }
            }
        }
    }

    /** Resets {@code node} for the subscriptions that heard it ({@code everyone}: all of them). */
    void deliverReset(InetSocketAddress node, ResetReason reason, boolean everyone) {
        for (Sub s : subs) {
            if (!s.closed && (s.announced.remove(node) || everyone)) {
                try {
                    s.sink.reset(node, reason);
                } catch (RuntimeException e) {
                    log.warn("watch sink failed on reset({}, {})", node, reason, e);
                }
            }
        }
    }

    /** Closes every stream and the watch thread. */
    @Override
    public void close() {
        List<NodeWatch> toClose;
        ExecutorService t;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(nodes);
            t = thread;
        }
        toClose.forEach(NodeWatch::close);
        if (t != null) {
            t.shutdown();
        }
    }

    /** One {@link #watch} call. */
    private final class Sub implements WatchSubscription {
        final byte[] prefix;
        final boolean values;
        final MutationSink sink;
        final long generation;
        /** Nodes whose {@code subscribed} this sink has heard since their last reset (watch thread only). */
        final Set<InetSocketAddress> announced = new HashSet<>();
        volatile boolean closed;

        Sub(byte[] prefix, boolean values, MutationSink sink, long generation) {
            this.prefix = prefix;
            this.values = values;
            this.sink = sink;
            this.generation = generation;
        }

        @Override
        public WatchMode mode() {
            return Watcher.this.mode();
        }

        @Override
        public boolean live(InetSocketAddress node) {
            NodeWatch n = node(node);
            return !closed && n != null && n.live(generation);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                remove(this);
            }
        }
    }
}
