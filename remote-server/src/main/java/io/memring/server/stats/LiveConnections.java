package io.memring.server.stats;

import io.memring.server.storage.CoarseNanos;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's open sockets (listeners and clients), for {@code stats conns} and
 * {@code connection_structures}. Sockets join through {@link #tracker()} (one handler per client
 * pipeline) or {@link #addListener}; a {@link ChannelGroup} drops each one when it closes.
 *
 * <p>memcached reports a connection's state machine. Here: never read from ({@code conn_new_cmd}),
 * inside a read ({@code conn_parse_cmd}), output not drained ({@code conn_mwrite}), what the
 * protocol handler says ({@link ConnState}: {@code conn_read}, {@code conn_nread},
 * {@code conn_swallow}), otherwise waiting for input ({@code conn_waiting}).
 *
 * <p>{@link #kickIdle} is memcached's {@code -o idle_timeout}: it closes client connections that
 * neither sent anything nor drained output for that long.
 */
public final class LiveConnections {
    private static final AttributeKey<Activity> ACTIVITY = AttributeKey.valueOf("memring.activity");
    private static final AtomicLong SEQUENCE = new AtomicLong(1_000_000);

    private final ChannelGroup group = new DefaultChannelGroup("memring-connections", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicInteger peakClients = new AtomicInteger();
    private final AtomicInteger listeners = new AtomicInteger();

    /** One client socket as {@code stats conns} shows it. */
    public record Entry(long id, String addr, String listenAddr, String state, long secsSinceLastCmd) {
    }

    /**
     * Per-socket activity: when input last arrived, and whether a read is being handled now.
     *
     * <p>The event loop writes {@code lastInputNanos}, {@code everRead} and {@code inRead} on every
     * read; other threads ({@code stats conns}, the idle kicker) only read them and can live with a
     * value a moment old. So the loop stores them with release semantics (a plain store on x86)
     * rather than as volatile stores (a full fence each, four per request), and the time comes from
     * {@link CoarseNanos} (no {@code clock_gettime} per request).
     */
    private static final class Activity {
        private static final VarHandle LAST_INPUT;
        private static final VarHandle EVER_READ;
        private static final VarHandle IN_READ;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                LAST_INPUT = l.findVarHandle(Activity.class, "lastInputNanos", long.class);
                EVER_READ = l.findVarHandle(Activity.class, "everRead", boolean.class);
                IN_READ = l.findVarHandle(Activity.class, "inRead", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final long id;
        final boolean listening;
        volatile long lastInputNanos = System.nanoTime();
        /** When the output last drained below the low water mark (the client read its replies). */
        volatile long lastDrainNanos = lastInputNanos;
        volatile boolean everRead;
        volatile boolean inRead;

        /** On the event loop, as a read starts. */
        void readStarts() {
            long t = CoarseNanos.now();
            if (t > (long) LAST_INPUT.getOpaque(this)) { // never back: the constructor used the exact time
                LAST_INPUT.setRelease(this, t);
            }
            if (!(boolean) EVER_READ.getOpaque(this)) {
                EVER_READ.setRelease(this, true);
            }
            IN_READ.setRelease(this, true);
        }

        /** On the event loop, as a read ends. */
        void readEnds() {
            IN_READ.setRelease(this, false);
        }

        Activity(long id, boolean listening) {
            this.id = id;
            this.listening = listening;
        }
    }

    /** Returns a handler for one new client pipeline; put it before the protocol decoder. */
    public ChannelHandler tracker() {
        return new Tracker();
    }

    /** Registers a bound listening socket. */
    public void addListener(Channel serverChannel) {
        serverChannel.attr(ACTIVITY).set(new Activity(idOf(serverChannel), true));
        listeners.incrementAndGet();
        serverChannel.closeFuture().addListener(f -> listeners.decrementAndGet());
        group.add(serverChannel);
    }

    /**
     * Returns memcached's {@code connection_structures}: connection slots ever needed at once, i.e.
     * the most clients open at the same time plus the listening sockets.
     */
    public int structures() {
        return peakClients.get() + listeners.get();
    }

    /** Returns the port of a listening socket, or 0 when none is registered. */
    public int listenPort() {
        for (Channel ch : group) {
            Activity a = ch.attr(ACTIVITY).get();
            if (a != null && a.listening && ch.localAddress() instanceof InetSocketAddress inet) {
                return inet.getPort();
            }
        }
        return 0;
    }

    /** Returns the open sockets ordered by descriptor, listeners included. */
    public List<Entry> snapshot() {
        long now = System.nanoTime();
        List<Entry> out = new ArrayList<>();
        for (Channel ch : group) {
            Activity a = ch.attr(ACTIVITY).get();
            if (a == null || !ch.isOpen()) {
                continue;
            }
            long secs = Math.max(0, (now - a.lastInputNanos) / 1_000_000_000L);
            if (a.listening) {
                out.add(new Entry(a.id, address(ch.localAddress()), null, "conn_listening", secs));
            } else {
                out.add(new Entry(a.id, address(ch.remoteAddress()), address(ch.localAddress()), state(ch, a), secs));
            }
        }
        out.sort(Comparator.comparingLong(Entry::id));
        return out;
    }

    private static String state(Channel ch, Activity a) {
        if (a.inRead) {
            return "conn_parse_cmd";
        }
        if (!ch.isWritable()) {
            return "conn_mwrite";
        }
        ConnState protocol = protocolOf(ch);
        String s = protocol == null ? null : protocol.connState();
        if (s != null) {
            return s;
        }
        return a.everRead ? "conn_waiting" : "conn_new_cmd";
    }

    private static ConnState protocolOf(Channel ch) {
        for (var e : ch.pipeline()) {
            if (e.getValue() instanceof ConnState c) {
                return c;
            }
        }
        return null;
    }

    /**
     * Closes every client connection served by a protocol handler ({@link ConnState}; peer links are
     * not) that has had no input and no output drained for more than {@code idleNanos}: memcached's
     * idle timeout. memcached kicks only connections waiting for a command; this also kicks one
     * stuck inside a data block or behind replies it never reads, so no client holds its share of
     * the connection-buffer budget forever. Returns how many were closed.
     */
    public int kickIdle(long idleNanos) {
        long now = System.nanoTime();
        int kicked = 0;
        for (Channel ch : group) {
            Activity a = ch.attr(ACTIVITY).get();
            ConnState protocol = protocolOf(ch);
            if (a == null || a.listening || a.inRead || !ch.isOpen() || protocol == null
                    || "conn_watch".equals(protocol.connState())) { // as memcached, watchers are not kicked
                continue;
            }
            // lastInputNanos may be up to a tick old (CoarseNanos): allow a tick so no kick comes early
            if (now - Math.max(a.lastInputNanos, a.lastDrainNanos) > idleNanos + CoarseNanos.TICK_NANOS) {
                ch.close();
                kicked++;
            }
        }
        return kicked;
    }

    /** memcached's {@code get_conn_text}: "tcp:1.2.3.4:port" or "tcp6:[::1]:port". */
    static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            if (inet.getAddress() instanceof Inet6Address) {
                int scope = host.indexOf('%');
                return "tcp6:[" + (scope < 0 ? host : host.substring(0, scope)) + "]:" + inet.getPort();
            }
            return "tcp:" + host + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** The file descriptor under epoll (as memcached numbers connections); a sequence number otherwise. */
    private static long idOf(Channel ch) {
        if (ch instanceof UnixChannel unix) {
            int fd = unix.fd().intValue();
            if (fd >= 0) {
                return fd;
            }
        }
        return SEQUENCE.incrementAndGet();
    }

    /** Registers its channel on activation and keeps the channel's activity current. */
    private final class Tracker extends ChannelInboundHandlerAdapter {
        private Activity activity;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            activity = new Activity(idOf(ctx.channel()), false);
            ctx.channel().attr(ACTIVITY).set(activity);
            peakClients.accumulateAndGet(clients.incrementAndGet(), Math::max);
            group.add(ctx.channel());
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (activity != null) {
                clients.decrementAndGet();
                activity = null;
            }
            super.channelInactive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Activity a = activity;
            if (a == null) {
                ctx.fireChannelRead(msg);
                return;
            }
            a.readStarts();
            try {
                ctx.fireChannelRead(msg);
            } finally {
                a.readEnds();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            Activity a = activity;
            if (a != null && ctx.channel().isWritable()) {
                a.lastDrainNanos = System.nanoTime();
            }
            super.channelWritabilityChanged(ctx);
        }
    }
}
