package io.memring.server;

import io.memring.server.cluster.ClusterGate;
import io.memring.server.cluster.ClusterNode;
import io.memring.server.cluster.PeerSecurity;
import io.memring.server.net.ConnectionLimiter;
import io.memring.server.net.MemoryBudget;
import io.memring.server.net.SpareReadAllocator;
import io.memring.server.protocol.MemcachedFrameDecoder;
import io.memring.server.protocol.NodeControl;
import io.memring.server.replication.Replication;
import io.memring.server.security.AsciiAuthHandler;
import io.memring.server.security.AuthFile;
import io.memring.server.security.AuthThrottle;
import io.memring.server.security.Exposure;
import io.memring.server.security.Listener;
import io.memring.server.security.TlsContext;
import io.memring.server.security.TlsGuard;
import io.memring.server.stats.AcceptFailures;
import io.memring.server.stats.ServerStats;
import io.memring.server.stats.StatSink;
import io.memring.server.storage.HybridClock;
import io.memring.server.storage.ServerClock;
import io.memring.server.storage.Storage;
import io.memring.server.storage.ApplyResult;
import io.memring.server.storage.MutationListener;
import io.memring.server.watch.WatchHub;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: binds the port, serves memcached's protocols from {@link Storage}, and sweeps expired
 * items in the background. {@link #close()} stops accepting, closes every connection and releases the
 * threads.
 */
public final class MemringServer implements AutoCloseable, NodeControl {
    private static final Logger log = LoggerFactory.getLogger(MemringServer.class);
    /**
     * Buckets swept per shard per tick of the background expiry crawler: a full pass over a shard of
     * 10k items takes ~30 s. The sweep only frees expired items early (the LRU tail and every read
     * reclaim them anyway), so it stays small: at 4096 a tick it took 8% of the node's CPU under
     * memcaslap and held each shard lock for ~0.5 ms (benchmarks/README.md).
     */
    private static final int SWEEP_BUCKETS = 256;
    /**
     * Output a connection may have queued before it counts as not reading: past the high mark the
     * connection stops reading and decoding until the queue drains below the low mark.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(16 * 1024, 32 * 1024);
    /** Largest single socket read, as memcached's 16 KB read buffer: bounds a paused connection's input. */
    static final int MAX_READ = 16 * 1024;
    /**
     * Smallest read Netty's adaptive guess may shrink to. At 64 a 70-byte get line (memcaslap's keys are
     * 64 bytes) took two reads, one syscall more per request; the buffer is a slice of a pooled chunk,
     * so a larger minimum costs no memory per idle connection.
     */
    static final int MIN_READ = 1024;

    private final ServerConfig config;
    private final Storage storage;
    private final ServerStats stats = new ServerStats();
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ScheduledExecutorService maintenance;
    /** One per listener ({@code -l a,notls:b:port}), the first being the node's address in the ring. */
    private final List<Channel> serverChannels = new ArrayList<>();
    /** Null without -Z. */
    private final TlsContext tls;
    /** The -Y users, replaced by {@link #reloadSecurity()}; null without -Y. */
    private volatile AuthFile users;
    private final int[] sweepCursor;
    private final ClusterNode cluster;
    private volatile int verbosity;
    /** Null on a standalone node. */
    private final Replication replication;
    /** The mutation stream clients subscribe to ({@code mr_watch}). */
    private final WatchHub watches;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private MemringServer(ServerConfig config, ServerClock clock) throws InterruptedException {
        this(config, clock, false);
    }

    /** {@code daemon}: event-loop threads that do not keep the JVM alive (a node embedded in an application). */
    private MemringServer(ServerConfig config, ServerClock clock, boolean daemon) throws InterruptedException {
        this.config = config;
        this.verbosity = config.verbosity();
        this.tls = loadTls(config);
        this.users = loadAuthFile(config);
        AuthThrottle throttle = new AuthThrottle();
        this.storage = new Storage(config.storage(), clock, HybridClock.system(config.membership().nodeId() & 0xFF));
        this.sweepCursor = new int[storage.shardCount()];
        PeerSecurity peerSecurity = config.membership().clustered() ? loadPeerSecurity(config) : PeerSecurity.none();
        this.cluster = ClusterNode.create(config.membership(), this::applyPulled, config.storage().maxItemSize(), peerSecurity);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerSocketChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("memring-boss", daemon), io);
        this.workerGroup = new MultiThreadIoEventLoopGroup(config.workerThreads(), new DefaultThreadFactory("memring-worker", daemon), io);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "memring-maintenance");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // a replaced delayed flush's announcement leaves the queue at once
        this.maintenance = timer;
        this.replication = config.membership().clustered()
                ? Replication.start(config.membership(), storage, stats, workerGroup, replicationQueueBytes(), peerSecurity)
                : null;
        this.watches = new WatchHub(storage, config.watchBufferBytes(), config.watchTotalBytes(), maintenance);
        // Replication installed itself; the stream hears the same reports after it.
        storage.setMutationListener(replication == null ? watches : MutationListener.both(replication, watches));
        ConnectionLimiter limiter = new ConnectionLimiter(config.maxConnections(), stats, this::verbosity);
        // memcached's read_buf_mem_limit covers read and response buffers alike: one budget for both
        MemoryBudget buffers = new MemoryBudget("read_buf_mem_limit", config.effectiveBufferBudget());
        stats.bufferBytes = buffers::used;
        stats.oldestLive = storage::oldestLive;
        TlsGuard.Limits handshakes = tls == null ? null : new TlsGuard.Limits(tls.settings().maxPendingHandshakes(), stats);
        if (tls != null) {
            stats.secondsSinceCertRefresh = tls::secondsSinceRefresh;
        }
        List<Listener> listeners = listeners(config);
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .handler(new AcceptFailures(stats))
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(MIN_READ, 2048, MAX_READ))
                    .childOption(ChannelOption.ALLOCATOR, new SpareReadAllocator(ByteBufAllocator.DEFAULT, MAX_READ));
            for (Listener listener : listeners) {
                boolean useTls = listener.tls(tls != null);
                ServerBootstrap lb = b.clone().childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("track", stats.connections.tracker());
                        ch.pipeline().addLast("limit", limiter);
                        if (useTls) { // after the limiter: a refused connection costs no TLS work
                            SslHandler ssl = tls.newHandler(ch.alloc());
                            ch.pipeline().addLast("tls-guard", new TlsGuard(handshakes, ssl));
                            ch.pipeline().addLast("tls", ssl);
                            ch.pipeline().addLast("tls-errors", TlsGuard.Quiet.INSTANCE);
                        }
                        if (users != null) { // before the peer handshake: peers authenticate too
                            ch.pipeline().addLast("auth", new AsciiAuthHandler(() -> users, throttle, stats));
                        }
                        if (replication != null) {
                            ch.pipeline().addLast("peer", replication.handshake());
                        }
                        ch.pipeline().addLast("memcached", new MemcachedFrameDecoder(storage, stats, config, MemringServer.this,
                                buffers, buffers));
                    }
                });
                Channel ch = lb.bind(new InetSocketAddress(listener.host(), listener.port())).sync().channel();
                serverChannels.add(ch);
                stats.connections.addListener(ch);
            }
        } catch (InterruptedException | RuntimeException e) {
            for (Channel ch : serverChannels) {
                ch.close().syncUninterruptibly();
            }
            shutdownThreads();
            throw e;
        }
        warnIfExposed(listeners);
        maintenance.scheduleWithFixedDelay(this::sweepExpired, 1, 1, TimeUnit.SECONDS);
        maintenance.scheduleWithFixedDelay(this::kickIdle, 1, 1, TimeUnit.SECONDS);
        log.info("memring node listening on {} ({} transport, {} MB, {} shards, {} threads, max {} connections{}{})",
                addresses(listeners), epoll ? "epoll" : "nio", config.storage().memoryLimitBytes() >> 20,
                storage.shardCount(), config.workerThreads(), config.maxConnections(),
                tls == null ? "" : ", TLS verify mode " + tls.settings().verifyMode(), users == null ? "" : ", -Y auth");
        if (config.membership().clustered()) {
            log.info("cluster: {}; repl_state catching_up", config.membership());
            cluster.start();
        }
    }

    /** Reads the -Z files; a problem with them stops the node from starting, naming the file. */
    private static TlsContext loadTls(ServerConfig config) {
        if (!config.security().tlsEnabled()) {
            return null;
        }
        try {
            return TlsContext.load(config.security().tls());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TLS files: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS: " + e.getMessage(), e);
        }
    }

    /** The peer links' side of -Z and -Y (see {@link PeerSecurity}); a problem stops the node from starting. */
    private static PeerSecurity loadPeerSecurity(ServerConfig config) {
        try {
            PeerSecurity p = PeerSecurity.of(config.security());
            if (p != PeerSecurity.none()) {
                log.info("peer links: {}", p);
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("peer links: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("peer links: TLS: " + e.getMessage(), e);
        }
    }

    private static AuthFile loadAuthFile(ServerConfig config) {
        if (config.security().authFile() == null) {
            return null;
        }
        try {
            return AuthFile.load(config.security().authFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the auth file " + config.security().authFile() + ": " + e, e);
        }
    }

    private static List<Listener> listeners(ServerConfig config) {
        List<Listener> l = config.security().listeners();
        return l.isEmpty() ? List.of(new Listener(config.listenAddress(), config.port(), false)) : l;
    }

    private String addresses(List<Listener> listeners) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < serverChannels.size(); i++) {
            boolean useTls = listeners.get(i).tls(tls != null);
            out.add(serverChannels.get(i).localAddress() + (useTls ? " (TLS)" : tls != null ? " (notls)" : ""));
        }
        return String.join(", ", out);
    }

    private void warnIfExposed(List<Listener> listeners) {
        int[] ports = new int[serverChannels.size()];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = port(i);
        }
        boolean certs = tls != null && tls.settings().requiresClientCertificate();
        for (String w : Exposure.warnings(listeners, ports, tls != null, config.security().authFile() != null, certs,
                config.membership().clustered())) {
            log.warn(w);
        }
    }

    /**
     * SIGHUP: reads the -Y file again (as memcached does) and the TLS files (memcached does that only on
     * {@code refresh_certs}). What cannot be read is logged and the previous users or certificates stay.
     */
    public void reloadSecurity() {
        if (config.security().authFile() != null) {
            try {
                AuthFile next = AuthFile.load(config.security().authFile());
                users = next;
                log.info("auth file {} reloaded: {} users", next.path(), next.size());
            } catch (IOException | RuntimeException e) {
                log.warn("auth file {} not reloaded, the previous users stay: {}", config.security().authFile(), e.toString());
            }
        }
        if (tls != null) {
            refreshCerts();
        }
    }

    @Override
    public String refreshCerts() {
        if (tls == null) {
            return "Error TLS not enabled";
        }
        try {
            tls.refresh();
            log.info("TLS certificates reloaded from {}", tls.settings().chainCert());
            return "OK";
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            log.warn("refresh_certs failed, the previous certificates stay in use: {}", e.toString());
            return "Error loading the certificates: " + String.valueOf(e.getMessage()).replaceAll("[\\r\\n]+", " ");
        }
    }

    /** Returns the listener's TLS context (memcached's {@code refresh_certs} reloads it), or null without -Z. */
    public TlsContext tls() {
        return tls;
    }

    /** Each peer's replication queue bound in bytes: {@code -Dmemring.repl.queueBytes}, 64 MB by default. */
    private static long replicationQueueBytes() {
        return Long.getLong("memring.repl.queueBytes", Replication.DEFAULT_QUEUE_BYTES);
    }

    /** Returns the node's replication, or null when standalone. */
    public Replication replication() {
        return replication;
    }

    @Override
    public void clusterStats(StatSink out) {
        cluster.gate().stats(out::stat);
        if (replication != null) {
            replication.writeStats(out);
        }
        watches.writeStats(out);
    }

    @Override
    public WatchHub watches() {
        return watches;
    }

    /** Starts a node; the returned server is already accepting connections. */
    public static MemringServer start(ServerConfig config) throws InterruptedException {
        return new MemringServer(config, ServerClock.system());
    }

    /**
     * Starts a node inside an application (the JCache provider's embedded node): its threads are daemons,
     * so the application's JVM exits when its own threads end, whether or not the node was closed.
     */
    public static MemringServer startEmbedded(ServerConfig config) throws InterruptedException {
        return new MemringServer(config, ServerClock.system(), true);
    }

    /** Starts a node with an injected clock (tests). */
    public static MemringServer start(ServerConfig config, ServerClock clock) throws InterruptedException {
        return new MemringServer(config, clock);
    }

    /** Returns the first listener's bound port (useful with port 0). */
    public int port() {
        return port(0);
    }

    /** Returns the bound port of listener {@code index}, in {@code -l} order. */
    public int port(int index) {
        return ((InetSocketAddress) serverChannels.get(index).localAddress()).getPort();
    }

    public Storage storage() {
        return storage;
    }

    public ServerStats stats() {
        return stats;
    }

    private void sweepExpired() {
        stats.crawlerStarts.increment();
        stats.crawlersRunning.incrementAndGet();
        try {
            for (int s = 0; s < sweepCursor.length; s++) {
                int next = storage.crawl(s, sweepCursor[s], SWEEP_BUCKETS, null);
                sweepCursor[s] = Math.max(0, next);
            }
        } catch (RuntimeException e) {
            log.warn("expiry sweep failed", e);
        } finally {
            stats.crawlersRunning.decrementAndGet();
        }
    }

    /**
     * memcached's {@code -o idle_timeout=N}: from now on, client connections with no input and no
     * output drained for more than N seconds are closed (counted in {@code idle_kicks}); 0 turns it off.
     */
    public void setIdleTimeout(int seconds) {
        stats.idleTimeout = Math.max(0, seconds);
    }

    private void kickIdle() {
        int seconds = stats.idleTimeout;
        if (seconds <= 0) {
            return;
        }
        try {
            int kicked = stats.connections.kickIdle(TimeUnit.SECONDS.toNanos(seconds));
            if (kicked > 0) {
                stats.idleKicks.add(kicked);
                if (verbosity > 0) {
                    log.info("idle timeout: closed {} connection(s) idle for over {} s", kicked, seconds);
                }
            }
        } catch (RuntimeException e) {
            log.warn("idle timeout check failed", e);
        }
    }

    @Override
    public int verbosity() {
        return verbosity;
    }

    @Override
    public void setVerbosity(int level) {
        this.verbosity = level;
    }

    @Override
    public void flushAll(int delaySeconds) {
        storage.flushAll(delaySeconds); // one pending flush time, as memcached: no task per command
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public int threads() {
        return config.workerThreads();
    }

    @Override
    public ClusterGate cluster() {
        return cluster.gate();
    }

    /**
     * Applies an item pulled during catch-up as a replica: last writer wins by version (its CAS on the
     * peer), so a newer state shipped meanwhile by the live stream is never overwritten.
     */
    private boolean applyPulled(byte[] key, byte[] value, int flags, int ttlSeconds, long version) {
        ServerClock clock = storage.clock();
        long unixExptime = ttlSeconds < 0 ? 0 : clock.processStarted() + clock.now() + Math.max(1, ttlSeconds);
        return storage.applyReplica(key, value, flags, unixExptime, version) == ApplyResult.APPLIED;
    }

    /** Stops the node; calling it again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Channel ch : serverChannels) {
            ch.close().syncUninterruptibly();
        }
        if (replication != null) {
            replication.close();
        }
        shutdownThreads();
        log.info("memring node on port {} stopped", port());
    }

    private void shutdownThreads() {
        cluster.close();
        maintenance.shutdownNow();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
