package io.memring.client.watch;

import io.memring.client.ClientConfig;
import io.memring.client.security.ConnectionSetup;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's subscription connection to one node. All state lives on one event loop. It connects,
 * sends {@code mr_watch} with the client's current {@link Interest}, and checks everything the node
 * sends: sequence numbers without gaps, the same boot id, a line at least every
 * {@value #SILENCE_MILLIS} ms. Any break is a reset for the node, then a reconnect with bounded
 * exponential backoff. A node that answers {@code ERROR} is stock memcached: it gets
 * {@code watch mutations} instead (best effort); one that refuses that too has no stream (mode NONE) and
 * is not asked again.
 */
final class NodeWatch {
    private static final Logger log = LoggerFactory.getLogger(NodeWatch.class);
    static final long SILENCE_MILLIS = 3000;
    private static final long CHECK_MILLIS = 250;
    /** Deliveries queued for the watch thread beyond which this connection stops reading. */
    private static final int PAUSE_AT = 10_000;
    private static final int RESUME_AT = 1_000;
    /** Value bytes queued for the watch thread beyond which this connection stops reading, and below which it resumes. */
    private static final long PAUSE_AT_BYTES = 32L << 20;
    private static final long RESUME_AT_BYTES = 8L << 20;
    private static final byte[] STOCK_WATCH = "watch mutations\r\n".getBytes(StandardCharsets.US_ASCII);

    enum Kind { UNKNOWN, PUSH, STOCK, NONE }

    private enum State { CONNECTING, AWAIT_ACK, LIVE, AWAIT_STOCK_OK, STOCK_LIVE, DOWN, CLOSED }

    private final InetSocketAddress address;
    private final Watcher watcher;
    private final ClientConfig config;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final AtomicInteger queuedDeliveries = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
    private final ConnectionSetup setup;
    private final java.util.concurrent.atomic.AtomicBoolean paused = new java.util.concurrent.atomic.AtomicBoolean();

    private volatile Kind kind = Kind.UNKNOWN;
    private volatile boolean live;
    /** The newest interest generation this node acknowledged on the current connection. */
    private volatile long ackedGeneration = -1;

    // event loop only
    private State state = State.DOWN;
    private Channel channel;
    private long bootId;
    private long lastSeq;
    private long lastLineNanos;
    private int attempts;
    /** ERROR replies still due for mr_watch lines sent before stock memcached's first ERROR arrived. */
    private int stockErrorsToSkip;
    private final ArrayDeque<Long> sentGenerations = new ArrayDeque<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private ScheduledFuture<?> checker;

    private record Waiter(long generation, CompletableFuture<Void> future) {
    }

    NodeWatch(InetSocketAddress address, Watcher watcher, ClientConfig config, EventLoop loop,
              Class<? extends SocketChannel> channelType, ConnectionSetup setup) {
        this.setup = setup;
        this.address = address;
        this.watcher = watcher;
        this.config = config;
        this.loop = loop;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        setup.initChannel(ch, address); // TLS and authentication, as every connection of the client
                        ch.pipeline().addLast(new WatchStreamDecoder(config.maxValueLength()), new StreamHandler());
                    }
                });
    }

    InetSocketAddress address() {
        return address;
    }

    Kind kind() {
        return kind;
    }

    /** Returns whether the stream is in sync and has acknowledged interest {@code generation}. */
    boolean live(long generation) {
        return live && ackedGeneration >= generation;
    }

    void start() {
        loop.execute(() -> {
            checker = loop.scheduleAtFixedRate(this::checkSilence, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
            connect();
        });
    }

    /**
     * Sends the client's current interest (any thread); the future completes once this node
     * acknowledged it, or cannot (down, refused, no stream).
     */
    CompletableFuture<Void> update(Interest interest) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        loop.execute(() -> {
            switch (state) {
                case AWAIT_ACK, LIVE -> {
                    waiters.add(new Waiter(interest.generation(), acked));
                    send(interest);
                }
                case STOCK_LIVE -> {
                    // stock memcached's watch covers every key: nothing to send
                    acknowledge(interest.generation(), 0);
                    acked.complete(null);
                }
                case CONNECTING, AWAIT_STOCK_OK -> waiters.add(new Waiter(interest.generation(), acked));
                default -> acked.complete(null); // down, closed, or no stream: nothing to wait for
            }
        });
        return acked;
    }

    private void send(Interest interest) {
        sentGenerations.add(interest.generation());
        channel.writeAndFlush(Unpooled.wrappedBuffer(interest.lineBytes(watcher.clientId())), channel.voidPromise());
    }

    private void connect() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CONNECTING;
        ChannelFuture f = bootstrap.connect(address);
        f.addListener(done -> {
            if (state == State.CLOSED) {
                f.channel().close();
                return;
            }
            if (!done.isSuccess()) {
                log.debug("watch connection to {} failed: {}", address, done.cause().toString());
                state = State.DOWN;
                completeWaiters();
                scheduleReconnect();
            }
        });
    }

    private void scheduleReconnect() {
        if (state == State.CLOSED || kind == Kind.NONE) {
            return;
        }
        long min = config.reconnectMin().toNanos();
        long delay = Math.min(config.reconnectMax().toNanos(), min << Math.min(attempts, 20));
        attempts++;
        delay += ThreadLocalRandom.current().nextLong(Math.max(1, delay / 5));
        loop.schedule(this::connect, delay, TimeUnit.NANOSECONDS);
    }

    private void checkSilence() {
        if (channel == null || !channel.config().isAutoRead()) {
            return; // not reading on purpose (the sink is behind): silence is ours
        }
        if ((state == State.AWAIT_ACK || state == State.LIVE || state == State.AWAIT_STOCK_OK)
                && System.nanoTime() - lastLineNanos > TimeUnit.MILLISECONDS.toNanos(SILENCE_MILLIS)) {
            log.info("watch stream from {}: nothing for {} ms, resetting", address, SILENCE_MILLIS);
            breakStream(ResetReason.HEARTBEAT_MISSED);
        }
    }

    /** Resets the node for {@code reason} (if anything was learnt from it) and closes the connection. */
    private void breakStream(ResetReason reason) {
        if (live) {
            live = false;
            watcher.post(() -> watcher.deliverReset(address, reason, false));
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    private void acknowledge(long generation, long boot) {
        ackedGeneration = Math.max(ackedGeneration, generation);
        long acked = ackedGeneration;
        watcher.post(() -> watcher.deliverSubscribed(address, boot, acked));
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.generation() <= acked) {
                w.future().complete(null);
                it.remove();
            }
        }
    }

    private void completeWaiters() {
        for (Waiter w : waiters) {
            w.future().complete(null);
        }
        waiters.clear();
    }

    /**
     * Hands {@code m} to the watch thread. While more than {@value #PAUSE_AT} mutations or 32 MB of values
     * wait there (a slow sink), this connection stops reading: client memory stays bounded, and the node,
     * bounding its own output, may drop us ({@code OVERFLOW}) rather than grow.
     */
    private void deliver(Mutation m) {
        long bytes = (m.oldValue() == null ? 0 : m.oldValue().length) + (m.newValue() == null ? 0 : m.newValue().length);
        int count = queuedDeliveries.incrementAndGet();
        long queued = queuedBytes.addAndGet(bytes);
        Channel ch = channel;
        if ((count >= PAUSE_AT || queued >= PAUSE_AT_BYTES) && ch != null && paused.compareAndSet(false, true)) {
            ch.config().setAutoRead(false);
        }
        watcher.post(() -> {
            try {
                watcher.deliverMutation(m);
            } finally {
                int left = queuedDeliveries.decrementAndGet();
                long leftBytes = queuedBytes.addAndGet(-bytes);
                if (left <= RESUME_AT && leftBytes <= RESUME_AT_BYTES && paused.compareAndSet(true, false)) {
                    loop.execute(() -> {
                        lastLineNanos = System.nanoTime();
                        Channel now = channel;
                        if (now != null) {
                            now.config().setAutoRead(true);
                        }
                    });
                }
            }
        });
    }

    void close() {
        if (loop.isShuttingDown()) {
            return;
        }
        loop.submit(() -> {
            state = State.CLOSED;
            live = false;
            completeWaiters();
            if (checker != null) {
                checker.cancel(false);
            }
            return channel == null ? null : channel.close();
        }).syncUninterruptibly();
    }

    private void protocolError(String why) {
        log.warn("watch stream from {} is malformed ({}): resetting and reconnecting", address, why);
        breakStream(ResetReason.DISCONNECTED);
    }

    /** The stream's lines, in order, on the event loop. */
    private final class StreamHandler extends SimpleChannelInboundHandler<WatchLine> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // the stream starts once the connection is set up; a failed setup closes it (channelInactive reconnects)
            setup.ready(ctx.channel()).addListener(ready -> {
                if (ready.isSuccess()) {
                    streamReady(ctx);
                } else {
                    log.debug("watch connection to {} not set up: {}", address, ready.cause().getMessage());
                }
            });
        }

        private void streamReady(ChannelHandlerContext ctx) {
            if (state == State.CLOSED || !ctx.channel().isActive()) {
                ctx.close();
                return;
            }
            channel = ctx.channel();
            lastLineNanos = System.nanoTime();
            sentGenerations.clear();
            state = State.AWAIT_ACK;
            send(watcher.interest());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WatchLine line) {
            lastLineNanos = System.nanoTime();
            if (line instanceof WatchLine.Event e) {
                event(e);
            } else if (line instanceof WatchLine.Heartbeat h) {
                if (state != State.LIVE || h.seq() != lastSeq) {
                    gap("heartbeat " + h.seq() + " after " + lastSeq);
                }
            } else if (line instanceof WatchLine.Subscribed s) {
                subscribed(s);
            } else if (line instanceof WatchLine.Overflow) {
                log.info("watch stream from {}: the node dropped this subscriber (fell behind), resubscribing", address);
                breakStream(ResetReason.OVERFLOW);
            } else if (line instanceof WatchLine.Refused r) {
                refused(r.line());
            } else if (line instanceof WatchLine.Ok) {
                stockAccepted();
            } else if (state != State.STOCK_LIVE) {
                protocolError("stock log line out of place");
            } else if (line instanceof WatchLine.StockStore st) {
                long exptime = st.ttl() <= 0 ? 0 : System.currentTimeMillis() / 1000 + st.ttl();
                deliver(new Mutation(address, 0, st.kind(), st.key(), 0, 0, 0, exptime, null, null));
            } else if (line instanceof WatchLine.Skipped sk) {
                log.info("watch stream from {}: memcached skipped {} lines, resetting", address, sk.count());
                watcher.post(() -> watcher.deliverReset(address, ResetReason.SKIPPED, false));
                acknowledge(watcher.interest().generation(), 0); // the stream goes on: live again
            }
        }

        private void stockAccepted() {
            if (state != State.AWAIT_STOCK_OK) {
                protocolError("OK out of place");
                return;
            }
            kind = Kind.STOCK;
            state = State.STOCK_LIVE;
            attempts = 0;
            live = true;
            log.info("{} is stock memcached: its watch mutations stream is best effort (stores only, no values)", address);
            acknowledge(watcher.interest().generation(), 0);
        }

        private void subscribed(WatchLine.Subscribed s) {
            Long generation = sentGenerations.poll();
            if (generation == null || (state != State.AWAIT_ACK && state != State.LIVE)) {
                protocolError("MW with no mr_watch outstanding");
                return;
            }
            if (state == State.AWAIT_ACK) {
                if (bootId != 0 && s.bootId() != bootId) {
                    log.info("{} restarted (boot id {} -> {})", address, Long.toHexString(bootId), Long.toHexString(s.bootId()));
                    watcher.post(() -> watcher.deliverReset(address, ResetReason.NEW_BOOT, true));
                }
                bootId = s.bootId();
                lastSeq = s.seq();
                kind = Kind.PUSH;
                state = State.LIVE;
                attempts = 0;
                live = true;
            } else if (s.bootId() != bootId || s.seq() != lastSeq) {
                gap("MW " + s.seq() + " after " + lastSeq);
                return;
            }
            acknowledge(generation, bootId);
        }

        private void event(WatchLine.Event e) {
            if (state != State.LIVE) {
                protocolError("event before MW");
                return;
            }
            if (e.seq() != lastSeq + 1) {
                gap("event " + e.seq() + " after " + lastSeq);
                return;
            }
            lastSeq = e.seq();
            deliver(new Mutation(address, e.seq(), e.kind(), e.key(), e.version(), e.origin(), e.flags(), e.exptime(),
                    e.oldValue(), e.newValue(), e.oldFlags()));
        }

        private void gap(String what) {
            log.info("watch stream from {}: sequence gap ({}), resetting", address, what);
            breakStream(ResetReason.GAP);
        }

        private void refused(String line) {
            if (state == State.AWAIT_ACK && line.equals("ERROR")) {
                // stock memcached does not know mr_watch: try its own watch (the connection stays usable)
                stockErrorsToSkip = Math.max(0, sentGenerations.size() - 1); // later mr_watch lines get ERROR too
                sentGenerations.clear();
                state = State.AWAIT_STOCK_OK;
                channel.writeAndFlush(Unpooled.wrappedBuffer(STOCK_WATCH), channel.voidPromise());
                return;
            }
            if (state == State.AWAIT_STOCK_OK && line.equals("ERROR") && stockErrorsToSkip > 0) {
                stockErrorsToSkip--;
                return;
            }
            if (state == State.AWAIT_STOCK_OK && line.equals("ERROR")) {
                log.info("{} offers no mutation stream (neither mr_watch nor watch mutations): mode NONE", address);
                kind = Kind.NONE;
                state = State.DOWN;
                completeWaiters();
                channel.close();
                return;
            }
            protocolError("refused: " + WatchStreamDecoder.abbreviate(line));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel) {
                channel = null;
            }
            if (live) {
                live = false;
                watcher.post(() -> watcher.deliverReset(address, ResetReason.DISCONNECTED, false));
            }
            if (state != State.CLOSED) {
                state = State.DOWN;
                completeWaiters();
                scheduleReconnect();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable root = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                    ? cause.getCause() : cause;
            if (root instanceof io.memring.client.ProtocolException) {
                protocolError(root.getMessage());
            } else {
                log.debug("watch connection to {} failed: {}", address, root.toString());
                breakStream(ResetReason.DISCONNECTED);
            }
            ctx.close();
        }
    }
}
