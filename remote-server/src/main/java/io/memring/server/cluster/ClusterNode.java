package io.memring.server.cluster;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A node's cluster side, assembled in one place: its gate (ownership and readiness checks for client
 * commands), the monitor that judges peers, and the catch-up that runs once at start. Standalone
 * nodes get the open gate and no threads.
 */
public final class ClusterNode implements AutoCloseable {
    /** How often peers are probed, and how long a probe or a pull may wait on a socket. */
    static final long PROBE_INTERVAL_MILLIS = 100;
    static final int PROBE_TIMEOUT_MILLIS = 300;
    static final int PULL_TIMEOUT_MILLIS = 5000;

    private final ClusterGate gate;
    private final PeerMonitor monitor;
    private final Thread catchUp;
    private final AtomicBoolean started = new AtomicBoolean();

    private ClusterNode(ClusterGate gate, PeerMonitor monitor, Thread catchUp) {
        this.gate = gate;
        this.monitor = monitor;
        this.catchUp = catchUp;
    }

    /**
     * Builds the cluster side; nothing runs until {@link #start()}.
     *
     * @param sink where pulled items go
     * @param maxValue largest value a pull accepts (the item size limit)
     */
    public static ClusterNode create(Membership membership, ReplicaSink sink, int maxValue) {
        if (!membership.clustered()) {
            return new ClusterNode(ClusterGate.standalone(), null, null);
        }
        Readiness readiness = Readiness.catchingUp();
        PeerMonitor monitor = new PeerMonitor(membership.peers(), PROBE_INTERVAL_MILLIS, PROBE_TIMEOUT_MILLIS);
        ClusterGate gate = new ClusterGate(membership, readiness, monitor);
        Thread t = new Thread(new CatchUp(membership, readiness, sink, PULL_TIMEOUT_MILLIS, maxValue), "memring-catch-up");
        t.setDaemon(true);
        return new ClusterNode(gate, monitor, t);
    }

    public ClusterGate gate() {
        return gate;
    }

    /** Starts the catch-up (once the node accepts connections, so peers see it catching up, not refusing). */
    public void start() {
        if (catchUp != null && started.compareAndSet(false, true)) {
            catchUp.start();
        }
    }

    @Override
    public void close() {
        if (monitor != null) {
            monitor.close();
        }
        if (catchUp != null) {
            catchUp.interrupt();
        }
    }
}
