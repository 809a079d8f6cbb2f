package io.memring.server.cluster;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's cluster side, assembled in one place: its gate (ownership and readiness checks for client
 * commands), the monitor that judges peers, and the catch-up that runs at start and again after the
 * process was paused. Standalone nodes get the open gate and no threads.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    /** How often peers are probed, and how long a probe or a pull may wait on a socket. */
    static final long PROBE_INTERVAL_MILLIS = 100;
    static final int PROBE_TIMEOUT_MILLIS = 300;
    static final int PULL_TIMEOUT_MILLIS = 5000;
    /** A gap this long in the monitor's rounds means the process was paused: catch up again. */
    static final long PAUSE_MILLIS = 2000;

    private final Membership membership;
    private final Readiness readiness;
    private final ReplicaSink sink;
    private final int maxValue;
    private final PeerSecurity security;
    private final ClusterGate gate;
    private final PeerMonitor monitor;
    private final AtomicBoolean catchingUp = new AtomicBoolean();
    private volatile boolean closed;

    private ClusterNode(Membership membership, ReplicaSink sink, int maxValue, PeerSecurity security) {
        this.security = security;
        this.membership = membership;
        this.sink = sink;
        this.maxValue = maxValue;
        if (!membership.clustered()) {
            this.readiness = null;
            this.gate = ClusterGate.standalone();
            this.monitor = null;
            return;
        }
        this.readiness = Readiness.catchingUp();
        this.monitor = new PeerMonitor(membership.peers(), PROBE_INTERVAL_MILLIS, PROBE_TIMEOUT_MILLIS, PAUSE_MILLIS,
                this::paused, security);
        this.gate = new ClusterGate(membership, readiness, monitor);
    }

    /**
     * Builds the cluster side; the catch-up waits for {@link #start()}.
     *
     * @param sink where pulled items go
     * @param maxValue largest value a pull accepts (the item size limit)
     */
    public static ClusterNode create(Membership membership, ReplicaSink sink, int maxValue) {
        return new ClusterNode(membership, sink, maxValue, PeerSecurity.none());
    }

    /** The same, with probes and pulls secured as {@code security} says (the node's -Z and -Y). */
    public static ClusterNode create(Membership membership, ReplicaSink sink, int maxValue, PeerSecurity security) {
        return new ClusterNode(membership, sink, maxValue, security);
    }

    public ClusterGate gate() {
        return gate;
    }

    /** Starts the catch-up (once the node accepts connections, so peers see it catching up, not refusing). */
    public void start() {
        if (membership.clustered()) {
            catchUp();
        }
    }

    /**
     * The process was stopped for {@code gapMillis} (SIGSTOP, a stall): peers may have taken this node's
     * keys meanwhile, so it stops serving and catches up again, as after a restart.
     */
    private void paused(long gapMillis) {
        if (closed || !readiness.isReady()) {
            return;
        }
        readiness.becomeCatchingUp("paused for " + gapMillis + " ms; catching up again");
        catchUp();
    }

    private void catchUp() {
        if (!catchingUp.compareAndSet(false, true)) {
            return;
        }
        CatchUp pull = new CatchUp(membership, readiness, sink, PULL_TIMEOUT_MILLIS, maxValue, security);
        Thread t = new Thread(() -> {
            try {
                pull.run();
            } catch (RuntimeException e) {
                log.warn("catch-up failed; serving what it has", e);
                readiness.becomeReady("catch-up failed: " + e, true);
            } finally {
                catchingUp.set(false);
            }
        }, "memring-catch-up");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        if (monitor != null) {
            monitor.close();
        }
    }
}
