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
    /** Whether this node, once ready, has reached a majority of the members; whether it lost it since. */
    private volatile boolean sawMajority;
    private volatile boolean isolated;
    /** When the current run of minority rounds began (0: reaching a majority); monitor thread only. */
    private long minoritySince;
    /**
     * How long a minority must last before the node calls itself isolated: probes time out under a
     * CPU-starved host too, and a survivor whose one live peer is slow for a moment must not stop.
     */
    static final long ISOLATION_MILLIS = 2000;

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
                this::paused, this::reachable, security);
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
        if (closed || isolated || !readiness.isReady()) {
            return;
        }
        readiness.becomeCatchingUp("paused for " + gapMillis + " ms; catching up again");
        catchUp();
    }

    /**
     * After each monitor round: a node of three or more members that was part of a majority and now
     * reaches fewer than half of the others for {@value #ISOLATION_MILLIS} ms (a partition that left it
     * alone with its clients, not a pause) stops serving, {@code catching_up}, since the majority side takes its keys' writes; when it
     * reaches a majority again it pulls what changed and is ready. Two members cannot tell a partition
     * from a death, and a node that never reached a majority (started alone) serves what it has: both
     * as before.
     */
    private void reachable(int peersReachable) {
        int members = membership.members().size();
        if (closed || members < 3) {
            return;
        }
        boolean majority = 2 * (peersReachable + 1) > members;
        if (majority) {
            minoritySince = 0;
            if (isolated) {
                isolated = false;
                log.info("reaches {} of {} peers again: catching up", peersReachable, members - 1);
                catchUp();
            } else if (readiness.isReady()) {
                sawMajority = true;
            }
        } else if (!isolated && sawMajority) {
            long now = System.nanoTime();
            if (minoritySince == 0) {
                minoritySince = now;
            } else if (now - minoritySince >= java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ISOLATION_MILLIS)) {
                isolated = true;
                readiness.becomeCatchingUp(isolatedNote(peersReachable, members));
            }
            return;
        }
        minoritySince = 0;
    }

    private static String isolatedNote(int peersReachable, int members) {
        return "isolated: reaches " + peersReachable + " of " + (members - 1) + " peers, not a majority;"
                + " refusing clients until it does";
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
            if (isolated) { // cut off while pulling: not ready after all
                readiness.becomeCatchingUp(isolatedNote(0, membership.members().size()));
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
