package io.memring.client.connection;

import io.memring.client.AuthenticationException;
import io.memring.client.ClientConfig;
import io.memring.client.ConnectionClosedException;
import io.memring.client.MemcacheException;
import io.memring.client.NodeUnavailableException;
import io.memring.client.OverloadException;
import io.memring.client.ProtocolException;
import io.memring.client.RequestTimeoutException;
import io.memring.client.TlsException;
import io.memring.client.protocol.MetaRequests;
import io.memring.client.protocol.MetaResponse;
import io.memring.client.protocol.MetaResponseDecoder;
import io.memring.client.security.ConnectionSetup;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipelined connection to a node. Requests from any thread go to a lock-free queue; the event
 * loop writes everything queued in one flush and keeps the written requests in a FIFO that replies
 * are matched against. Guarantees:
 * <ul>
 *   <li>at most {@code maxInFlightPerConnection} requests queued or unanswered, and none accepted
 *       while the socket is backed up: beyond that {@link OverloadException} at once;</li>
 *   <li>every request gets an outcome by its deadline ({@link RequestTimeoutException}); a connection
 *       whose oldest request is a full timeout past its deadline is closed as unresponsive;</li>
 *   <li>when the channel closes, every queued and unanswered request fails at once with {@link
 *       ConnectionClosedException}, and reconnects follow with exponential backoff;</li>
 *   <li>while reconnecting after a failure, requests fail fast with {@link NodeUnavailableException};</li>
 *   <li>only whole requests are written: a request whose encoding fails leaves no bytes behind, so the
 *       requests after it stay in step with their replies;</li>
 *   <li>a request that {@linkplain Request#extendsDeadlineOnProgress() extends its deadline on progress}
 *       (a scan) gets a new deadline with each reply line, so it fails only when the server goes quiet;</li>
 *   <li>on connect, and every {@code reconnectMax} while the node is marked down, a connection probes it
 *       ({@code stats repl_state}, see {@link ReadinessProbe}); a probe answered "ready" is the only way
 *       back up, "catching_up" marks the node down (see {@link NodeHealth});</li>
 *   <li>a new channel carries requests only once its {@link ConnectionSetup} is done (TLS handshake,
 *       authentication); a setup refused for TLS or credentials fails what is queued with
 *       {@link TlsException} or {@link AuthenticationException} and is tried again only after
 *       {@code reconnectMax}, so a wrong password does not become a storm of attempts.</li>
 * </ul>
 */
public final class NodeConnection {
    private static final Logger log = LoggerFactory.getLogger(NodeConnection.class);
    private static final long TIMEOUT_CHECK_MILLIS = 10;

    private enum State { CONNECTING, CONNECTED, DISCONNECTED, CLOSED }

    private final InetSocketAddress address;
    private final ClientConfig config;
    private final NodeHealth health;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final long timeoutNanos;
    private final ConnectionSetup setup;
    /** Sent as {@code mr_client} first on every connect (0 = none: scan connections). */
    private final long clientId;
    /** Whether the node answered {@code mr_client} with OK on the last connect (a Memring node). */
    private volatile boolean memringNode;

    private final Queue<Request<?>> outbound = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Request<?>> pending = new ArrayDeque<>(); // event loop only
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile State state = State.CONNECTING;
    private volatile Channel channel;
    private int reconnectAttempts;
    private ScheduledFuture<?> timeoutTask;
    private boolean probeOutstanding; // event loop only
    private long nextProbeNanos; // event loop only
    private boolean everConnected; // event loop only
    private volatile String lastConnectFailure = "none";
    /** The last TLS or authentication refusal, until a setup succeeds; surfaced to requests sent meanwhile. */
    private volatile MemcacheException lastSetupRefusal;
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();

    public NodeConnection(InetSocketAddress address, ClientConfig config, NodeHealth health, EventLoop loop,
                          Class<? extends SocketChannel> channelType) {
        this(address, config, health, loop, channelType, config.requestTimeout());
    }

    /** A connection whose requests time out after {@code timeout} (scans use their idle timeout). */
    public NodeConnection(InetSocketAddress address, ClientConfig config, NodeHealth health, EventLoop loop,
                          Class<? extends SocketChannel> channelType, Duration timeout) {
        this(address, config, health, loop, channelType, timeout, 0,
                ConnectionSetup.of(config.tls(), config.credentials(), config.connectTimeout()));
    }

    /** A request connection that introduces itself as {@code clientId} ({@code mr_client}) on every connect. */
    public NodeConnection(InetSocketAddress address, ClientConfig config, NodeHealth health, EventLoop loop,
                          Class<? extends SocketChannel> channelType, long clientId) {
        this(address, config, health, loop, channelType, config.requestTimeout(), clientId,
                ConnectionSetup.of(config.tls(), config.credentials(), config.connectTimeout()));
    }

    /** A connection (a scan's: no {@code mr_client}) set up by {@code setup} (TLS, authentication), shared by a client's connections. */
    public NodeConnection(InetSocketAddress address, ClientConfig config, NodeHealth health, EventLoop loop,
                          Class<? extends SocketChannel> channelType, Duration timeout, ConnectionSetup setup) {
        this(address, config, health, loop, channelType, timeout, 0, setup);
    }

    /** A request connection introducing itself as {@code clientId}, set up by {@code setup} (TLS, authentication). */
    public NodeConnection(InetSocketAddress address, ClientConfig config, NodeHealth health, EventLoop loop,
                          Class<? extends SocketChannel> channelType, long clientId, ConnectionSetup setup) {
        this(address, config, health, loop, channelType, config.requestTimeout(), clientId, setup);
    }

    private NodeConnection(InetSocketAddress address, ClientConfig config, NodeHealth health, EventLoop loop,
                           Class<? extends SocketChannel> channelType, Duration timeout, long clientId, ConnectionSetup setup) {
        this.clientId = clientId;
        this.address = address;
        this.setup = setup;
        this.config = config;
        this.health = health;
        this.loop = loop;
        this.timeoutNanos = timeout.toNanos();
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(4 << 20, 8 << 20))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        setup.initChannel(ch, address);
                        ch.pipeline().addLast(new MetaResponseDecoder(config.maxValueLength()), new ReplyHandler());
                    }
                });
    }

    /** Starts connecting; requests sent meanwhile wait in the queue (within the in-flight bound). */
    public void start() {
        loop.execute(() -> {
            timeoutTask = loop.scheduleAtFixedRate(this::checkTimeouts, TIMEOUT_CHECK_MILLIS, TIMEOUT_CHECK_MILLIS,
                    TimeUnit.MILLISECONDS);
            connect();
        });
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Returns whether the node took this connection's {@code mr_client} (it is a Memring node). */
    public boolean isMemringNode() {
        return memringNode;
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** Completes when the first connect attempt has succeeded or failed (or the connection was closed). */
    public CompletableFuture<Void> firstAttempt() {
        return firstAttempt;
    }

    /** Returns requests queued or awaiting a reply. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Submits a request; its future fails (never blocks) when it cannot be accepted. */
    public void send(Request<?> r) {
        State s = state;
        if (s == State.CLOSED) {
            r.fail(new ConnectionClosedException("client closed"));
            return;
        }
        if (s == State.DISCONNECTED) {
            MemcacheException refusal = lastSetupRefusal;
            if (refusal instanceof AuthenticationException) {
                r.fail(new AuthenticationException(refusal.getMessage(), refusal));
            } else if (refusal instanceof TlsException) {
                r.fail(new TlsException(refusal.getMessage(), refusal));
            } else {
                r.fail(new NodeUnavailableException(address + " is not connected (reconnecting; last attempt: " + lastConnectFailure + ")"));
            }
            return;
        }
        Channel ch = channel;
        if (ch != null && !ch.isWritable()) {
            r.fail(new OverloadException(address + ": socket write buffer full, server is not reading"));
            return;
        }
        if (inFlight.incrementAndGet() > config.maxInFlightPerConnection()) {
            inFlight.decrementAndGet();
            r.fail(new OverloadException(address + ": " + config.maxInFlightPerConnection() + " requests already in flight"));
            return;
        }
        r.deadlineNanos = System.nanoTime() + timeoutNanos;
        outbound.add(r);
        if (state == State.CONNECTED && drainScheduled.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }

    /** Writes everything queued with one flush (event loop). */
    private void drain() {
        drainScheduled.set(false);
        Channel ch = channel;
        if (state != State.CONNECTED || ch == null || !ch.isActive()) {
            return;
        }
        ByteBuf buf = null;
        Request<?> r;
        while ((r = outbound.poll()) != null) {
            if (r.isDone()) { // timed out before it could be written
                inFlight.decrementAndGet();
                continue;
            }
            if (buf == null) {
                buf = ch.alloc().ioBuffer(4096);
            }
            int start = buf.writerIndex();
            try {
                r.encode(buf);
            } catch (RuntimeException e) {
                buf.writerIndex(start); // drop the partial request: the server must see whole requests only
                inFlight.decrementAndGet();
                r.fail(e instanceof MemcacheException ? e : new MemcacheException("cannot encode request: " + e, e));
                continue;
            }
            pending.add(r);
            if (buf.readableBytes() >= 256 * 1024) {
                ch.write(buf, ch.voidPromise());
                buf = null;
            }
        }
        if (buf != null) {
            ch.write(buf, ch.voidPromise());
        }
        ch.flush();
    }

    /** Writes {@code r} ahead of everything queued (event loop, just connected: nothing is pending yet). */
    private void sendFirst(Channel ch, Request<?> r) {
        inFlight.incrementAndGet();
        r.deadlineNanos = System.nanoTime() + timeoutNanos;
        ByteBuf buf = ch.alloc().ioBuffer(64);
        r.encode(buf);
        pending.add(r);
        ch.write(buf, ch.voidPromise());
    }

    private void connect() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CONNECTING;
        ChannelFuture f = bootstrap.connect(address);
        f.addListener(done -> {
            if (done.isSuccess()) {
                Channel ch = f.channel();
                if (state == State.CLOSED) {
                    ch.close();
                    return;
                }
                setup.ready(ch).addListener(ready -> {
                    if (ready.isSuccess()) {
                        established(ch);
                    } else {
                        setupFailed(ch, ready.cause());
                    }
                });
            } else {
                String why = describe(done.cause());
                lastConnectFailure = why;
                if (everConnected) {
                    health.onFailure(done.cause());
                } else {
                    health.onFirstConnectFailure(why, done.cause());
                }
                log.debug("connect to {} failed: {}", address, why);
                disconnected(new ConnectionClosedException("cannot connect to " + address + ": " + why, done.cause()));
                firstAttempt.complete(null);
            }
        });
    }

    /** The channel is connected, through its TLS handshake and authenticated: requests may flow (event loop). */
    private void established(Channel ch) {
        if (state == State.CLOSED) {
            ch.close();
            return;
        }
        if (!ch.isActive()) { // closed right after its setup, before it was ours: its close went unseen
            setupFailed(ch, new ConnectionClosedException("connection to " + address + " closed after its setup"));
            return;
        }
        channel = ch;
        lastSetupRefusal = null;
        reconnectAttempts = 0;
        everConnected = true;
        state = State.CONNECTED;
        firstAttempt.complete(null);
        log.debug("connected to {}", address);
        if (clientId != 0) { // after TLS and authentication: the first request the node sees
            ClientHello hello = new ClientHello(clientId);
            hello.future().thenAccept(ok -> memringNode = ok);
            sendFirst(ch, hello);
        }
        // On every connect a node may be back but still catching up, or on another ring. Not on a
        // scan connection: its health never marks the node down, and stock memcached refuses a
        // metadump pipelined behind another command ("cannot pipeline other commands before metadump").
        if (!probeOutstanding && !health.isDetached()) {
            probe();
        }
        drain();
    }

    /**
     * TLS or authentication failed on a connected channel (the setup closed it): what is queued fails with
     * the typed cause. A refusal (TLS, credentials) is logged at WARN when it changes and waits the
     * longest reconnect delay before the next attempt: retrying at once cannot fix a certificate or a
     * password, and a node counts and rate-limits failed attempts.
     */
    private void setupFailed(Channel ch, Throwable cause) {
        ch.close();
        if (state == State.CLOSED) {
            return;
        }
        String why = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        boolean refusal = cause instanceof AuthenticationException || cause instanceof TlsException;
        if (refusal) {
            MemcacheException previous = lastSetupRefusal;
            if (previous == null || !why.equals(previous.getMessage())) {
                log.warn("connection to {} refused: {}", address, why);
            }
            lastSetupRefusal = (MemcacheException) cause;
            reconnectAttempts = Math.max(reconnectAttempts, 20); // the longest delay: see reconnectMax
        }
        lastConnectFailure = why;
        if (everConnected) {
            health.onFailure(cause);
        } else {
            health.onFirstConnectFailure(why, cause);
        }
        disconnected(cause);
        firstAttempt.complete(null);
    }

    /** Says why a connect failed in words a user acts on: "unknown host x", "Connection refused: /127.0.0.1:1". */
    private String describe(Throwable cause) {
        if (address.isUnresolved()) {
            return "unknown host " + address.getHostString();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /**
     * Asks the node whether it is ready ({@code stats repl_state}; stock memcached's ERROR counts as
     * alive): ready lets a down node come back (after its quarantine); catching_up marks it down until
     * a later probe reads ready. A ring fingerprint that differs from the client's is warned about once.
     */
    private void probe() {
        probeOutstanding = true;
        nextProbeNanos = System.nanoTime() + config.reconnectMax().toNanos();
        ReadinessProbe probe = new ReadinessProbe();
        probe.future().whenComplete((answer, error) -> {
            if (answer != null) {
                health.onFingerprint(answer.fingerprint(), ringFingerprint());
                if (answer.ready()) {
                    health.onProbeSuccess();
                } else {
                    health.onNotReady();
                }
            }
            loop.execute(() -> probeOutstanding = false);
        });
        send(probe);
    }

    private String ringFingerprint() {
        return io.memring.client.ketama.RingFingerprint.ofAddresses(config.servers());
    }

    private void disconnected(Throwable cause) {
        if (state != State.CLOSED) {
            state = State.DISCONNECTED;
        }
        channel = null;
        failAll(cause);
        if (state != State.CLOSED) {
            long min = config.reconnectMin().toNanos();
            long delay = Math.min(config.reconnectMax().toNanos(), min << Math.min(reconnectAttempts, 20));
            reconnectAttempts++;
            delay += ThreadLocalRandom.current().nextLong(Math.max(1, delay / 5)); // jitter
            loop.schedule(this::connect, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void failAll(Throwable cause) {
        Request<?> r;
        while ((r = pending.poll()) != null) {
            inFlight.decrementAndGet();
            r.fail(cause);
        }
        while ((r = outbound.poll()) != null) {
            inFlight.decrementAndGet();
            r.fail(cause);
        }
    }

    private void checkTimeouts() {
        long now = System.nanoTime();
        for (Request<?> r : pending) {
            if (r.deadlineNanos > now) {
                break;
            }
            if (!r.isDone()) {
                r.fail(new RequestTimeoutException(address + ": no reply within the request timeout (" + timeoutNanos / 1_000_000 + " ms)"));
                health.onFailure(new RequestTimeoutException("timeout"));
            }
        }
        for (Request<?> r : outbound) {
            if (r.deadlineNanos > now) {
                break;
            }
            if (!r.isDone()) {
                r.fail(new RequestTimeoutException(address + ": not sent within the request timeout (" + timeoutNanos / 1_000_000 + " ms)"));
            }
        }
        if (!health.isUp() && state == State.CONNECTED && !probeOutstanding && now - nextProbeNanos >= 0) {
            probe();
        }
        Request<?> oldest = pending.peek();
        Channel ch = channel;
        if (oldest != null && ch != null && now - oldest.deadlineNanos > timeoutNanos) {
            log.info("closing unresponsive connection to {} ({} requests unanswered)", address, pending.size());
            // What its requests see is the request timeout, not a closed connection: say so.
            String why = "no reply for twice the request timeout (" + timeoutNanos / 1_000_000 + " ms)";
            lastConnectFailure = "closed as unresponsive: " + why;
            failAll(new RequestTimeoutException(address + ": " + why + ": connection closed as unresponsive"));
            ch.close();
        }
    }

    /** Closes the connection for good; pending requests fail. Returns when the channel is closed. */
    public void close() {
        state = State.CLOSED;
        firstAttempt.complete(null);
        if (loop.isShuttingDown()) {
            return;
        }
        loop.submit(() -> {
            if (timeoutTask != null) {
                timeoutTask.cancel(false);
            }
            Channel ch = channel;
            failAll(new ConnectionClosedException("client closed"));
            return ch == null ? null : ch.close();
        }).syncUninterruptibly();
    }

    /** Matches replies to the FIFO of written requests. */
    private final class ReplyHandler extends SimpleChannelInboundHandler<MetaResponse> {
        private boolean answered; // any reply on this channel yet
        private boolean refused; // the node said unauthenticated on this channel

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MetaResponse response) {
            answered = true;
            if (response.status == MetaResponse.Status.CLIENT_ERROR && response.rest.trim().equals("unauthenticated")) {
                // A -Y node and a client without credentials: nothing on this connection can succeed, and stock
                // memcached answers only the last of several commands pipelined before authentication, so the
                // replies no longer match the requests. Fail everything with the typed cause and close.
                AuthenticationException refusal = (AuthenticationException) io.memring.client.protocol.ErrorReplies.toException(response);
                lastSetupRefusal = refusal;
                refused = true;
                reconnectAttempts = Math.max(reconnectAttempts, 20);
                log.warn("closing connection to {}: {}", address, refusal.getMessage());
                failAll(refusal);
                ctx.close();
                return;
            }
            Request<?> head = pending.peek();
            if (head == null) {
                throw new ProtocolException("reply with no request outstanding: " + response);
            }
            if (head.onResponse(response)) {
                pending.poll();
                inFlight.decrementAndGet();
                health.onSuccess();
            } else if (head.extendsDeadlineOnProgress()) {
                head.deadlineNanos = System.nanoTime() + timeoutNanos;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() != channel) {
                return; // closed before or during its setup: the connect path handled it
            }
            // A node that requires TLS (memcached -Z) closes a plaintext connection without a word: say so.
            String why = answered || setup.tls() ? "closed" : "closed before any reply (a node that requires TLS closes"
                    + " plaintext connections: is TLS on there?)";
            MemcacheException refusal = answered && !refused ? null : lastSetupRefusal;
            lastConnectFailure = refusal != null ? refusal.getMessage() : why;
            disconnected(refusal != null ? refusal : new ConnectionClosedException("connection to " + address + " " + why));
            if (state != State.CLOSED) {
                health.onFailure(refusal != null ? refusal : new ConnectionClosedException(why));
                log.debug("connection to {} closed", address);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable root = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (root instanceof ProtocolException) {
                log.warn("closing connection to {}: {}", address, root.getMessage());
                failAll(root);
            } else if (root instanceof javax.net.ssl.SSLException) {
                // After the handshake: with TLS 1.3 a node refuses a client certificate (or its absence) here
                TlsException refusal = new TlsException("TLS with " + address + " failed: " + root.getMessage(), root);
                if (!answered) {
                    lastSetupRefusal = refusal;
                    reconnectAttempts = Math.max(reconnectAttempts, 20);
                }
                log.warn("closing connection to {}: {}", address, refusal.getMessage());
                failAll(refusal);
            } else {
                log.debug("connection to {} failed: {}", address, root.toString());
            }
            ctx.close();
        }
    }
}
