package io.memring.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges each peer's liveness by asking it {@code stats repl_state} every {@code interval} on a
 * connection of its own: up when it answers {@code ready}; down after {@value #FAILURES_TO_DOWN}
 * consecutive failures (refused, timed out, closed) or at once when it answers {@code catching_up}.
 * Peers start up (a fresh node must not take writes for keys whose primary it has not looked at yet).
 * One daemon thread, blocking sockets with short timeouts: a handful of peers, a few probes a second.
 * Transitions are logged at INFO.
 */
public final class PeerMonitor implements PeerLiveness, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerMonitor.class);
    static final int FAILURES_TO_DOWN = 2;
    private static final byte[] PROBE = "stats repl_state\r\n".getBytes(StandardCharsets.US_ASCII);

    private final List<PeerAddress> peers;
    private final PeerSecurity security;
    private final int timeoutMillis;
    private final ScheduledExecutorService timer;
    private final ConcurrentHashMap<PeerAddress, Probe> probes = new ConcurrentHashMap<>();
    private final long pauseNanos;
    private final java.util.function.LongConsumer onPause;
    private final java.util.function.IntConsumer onRound;
    private long lastRunEnd; // monitor thread only
    private volatile long lastLook = System.nanoTime();

    /** One peer's connection and verdict; touched only by the monitor thread, read by any. */
    private static final class Probe {
        Socket socket;
        int failures;
        volatile boolean up = true;
    }

    /**
     * @param pauseMillis a gap this long between two rounds means this process was paused (SIGSTOP, a
     *     long stall): {@code onPause} gets the gap in milliseconds
     */
    public PeerMonitor(List<PeerAddress> peers, long intervalMillis, int timeoutMillis, long pauseMillis,
                       java.util.function.LongConsumer onPause) {
        this(peers, intervalMillis, timeoutMillis, pauseMillis, onPause, reachable -> { });
    }

    /**
     * @param onRound after each round, how many peers answered recently (fewer than {@value
     *     #FAILURES_TO_DOWN} consecutive failures), whatever their state: what this node can reach
     */
    public PeerMonitor(List<PeerAddress> peers, long intervalMillis, int timeoutMillis, long pauseMillis,
                       java.util.function.LongConsumer onPause, java.util.function.IntConsumer onRound) {
        this(peers, intervalMillis, timeoutMillis, pauseMillis, onPause, onRound, PeerSecurity.none());
    }

    /** The same, with the probes' connections secured as {@code security} says (TLS, authentication). */
    public PeerMonitor(List<PeerAddress> peers, long intervalMillis, int timeoutMillis, long pauseMillis,
                       java.util.function.LongConsumer onPause, java.util.function.IntConsumer onRound, PeerSecurity security) {
        this.onRound = onRound;
        this.peers = List.copyOf(peers);
        this.security = security;
        this.timeoutMillis = timeoutMillis;
        this.pauseNanos = TimeUnit.MILLISECONDS.toNanos(pauseMillis);
        this.onPause = onPause;
        peers.forEach(p -> probes.put(p, new Probe()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "memring-peer-monitor");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::probeAll, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean selfStale() {
        return System.nanoTime() - lastLook > pauseNanos;
    }

    @Override
    public boolean isUp(PeerAddress peer) {
        Probe p = probes.get(peer);
        return p == null || p.up;
    }

    private void probeAll() {
        long start = System.nanoTime();
        if (lastRunEnd != 0 && start - lastRunEnd > pauseNanos) {
            onPause.accept(TimeUnit.NANOSECONDS.toMillis(start - lastRunEnd));
        }
        lastLook = start;
        try {
            probeEach();
            int reachable = 0;
            for (Probe p : probes.values()) {
                reachable += p.failures < FAILURES_TO_DOWN ? 1 : 0;
            }
            onRound.accept(reachable);
        } finally {
            lastRunEnd = System.nanoTime();
        }
    }

    private void probeEach() {
        for (PeerAddress peer : peers) {
            Probe p = probes.get(peer);
            String state;
            try {
                state = ask(peer, p);
            } catch (IOException | RuntimeException e) {
                closeQuietly(p);
                if (++p.failures >= FAILURES_TO_DOWN) {
                    mark(peer, p, false, e.toString());
                }
                continue;
            }
            p.failures = 0;
            lastLook = System.nanoTime();
            mark(peer, p, !"catching_up".equals(state), "repl_state " + state);
        }
    }

    /** Returns the peer's repl_state ("ready" for a node that does not report one). */
    private String ask(PeerAddress peer, Probe p) throws IOException {
        if (p.socket == null) {
            // TLS handshake and authentication once per connection; peer traffic may be routed (LinkRoutes)
            p.socket = security.open(peer, timeoutMillis);
        }
        OutputStream out = p.socket.getOutputStream();
        out.write(PROBE);
        out.flush();
        InputStream in = p.socket.getInputStream();
        String state = "ready";
        for (int lines = 0; lines < 32; lines++) {
            String line = readLine(in);
            if (line.equals("END") || line.startsWith("ERROR")) {
                return state;
            }
            if (line.startsWith("STAT repl_state ")) {
                state = line.substring("STAT repl_state ".length()).trim();
            }
        }
        throw new IOException("no END after 32 lines");
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 512; i++) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            if (b == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) b);
        }
        throw new IOException("line too long");
    }

    private static void mark(PeerAddress peer, Probe p, boolean up, String why) {
        if (p.up != up) {
            p.up = up;
            log.info("peer {} {} ({})", peer, up ? "up" : "down", why);
        }
    }

    private static void closeQuietly(Probe p) {
        if (p.socket != null) {
            try {
                p.socket.close();
            } catch (IOException ignored) {
                // nothing to release beyond the descriptor
            }
            p.socket = null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probes.values().forEach(PeerMonitor::closeQuietly);
    }
}
