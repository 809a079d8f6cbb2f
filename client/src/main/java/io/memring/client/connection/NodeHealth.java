package io.memring.client.connection;

import io.memring.client.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Up/down state of one node. {@code threshold} consecutive failures (timeouts, refused or closed
 * connections) mark it down. A node marked down comes back only through {@link #onProbeSuccess()}, and
 * only once {@code quarantine} has passed since its last failure: replies to requests sent before it
 * went down ({@link #onSuccess()}) never bring it back, so a paused node that wakes up does not flap
 * straight back into the ring. Transitions are logged at INFO and counted.
 */
public final class NodeHealth {
    private static final Logger log = LoggerFactory.getLogger(NodeHealth.class);

    private final String node;
    private final int threshold;
    private final long quarantineNanos;
    private final Ticker ticker;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final LongAdder failures = new LongAdder();
    private final LongAdder downEvents = new LongAdder();
    private final LongAdder upEvents = new LongAdder();
    private final LongAdder probeSuccesses = new LongAdder();
    private volatile boolean up = true;
    private volatile long lastFailureNanos;
    private volatile String lastFailure = "none";
    private volatile Throwable lastFailureCause;
    private volatile boolean fingerprintWarned;

    public NodeHealth(String node, int threshold, Duration quarantine, Ticker ticker) {
        this.node = node;
        this.threshold = threshold;
        this.quarantineNanos = quarantine.toNanos();
        this.ticker = ticker;
    }

    /** A health that counts failures but never marks its node down: for connections (scans) that must not. */
    public static NodeHealth detached(String node) {
        return new NodeHealth(node, Integer.MAX_VALUE, Duration.ZERO, Ticker.system());
    }

    /** Returns whether this health never marks its node down (a scan connection's): such a connection is not probed. */
    public boolean isDetached() {
        return threshold == Integer.MAX_VALUE;
    }

    public boolean isUp() {
        return up;
    }

    /** A reply to a regular request: resets the failure count of a node that is up, nothing else. */
    public void onSuccess() {
        if (up && consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    /** A probe of a down node was answered: brings it back if its quarantine is over. */
    public void onProbeSuccess() {
        probeSuccesses.increment();
        if (up) {
            return;
        }
        synchronized (this) {
            long quiet = ticker.nanoTime() - lastFailureNanos;
            if (!up && quiet >= quarantineNanos) {
                consecutiveFailures.set(0);
                up = true;
                upEvents.increment();
                log.info("memcached node {} is back up (probe answered {} ms after its last failure)", node,
                        quiet / 1_000_000);
            }
        }
    }

    /**
     * A node that could not be reached before it ever answered (down, or an unknown host, when the client
     * starts): marked down at once, so that with failover the first requests go to a live node instead of
     * failing on a connection that is not there. Logged at WARN with the cause.
     */
    public void onFirstConnectFailure(String cause) {
        onFirstConnectFailure(cause, null);
    }

    /** The same, keeping the exception (a TLS or authentication refusal) as {@link #lastFailureCause()}. */
    public void onFirstConnectFailure(String cause, Throwable exception) {
        if (exception != null) {
            lastFailureCause = exception;
        }
        failures.increment();
        lastFailureNanos = ticker.nanoTime();
        lastFailure = cause;
        if (up && threshold != Integer.MAX_VALUE) { // a detached health never goes down
            synchronized (this) {
                if (up) {
                    up = false;
                    downEvents.increment();
                    log.warn("memcached node {} cannot be reached ({}): marked down; back after a probe answered {} ms"
                            + " after its last failure", node, cause, quarantineNanos / 1_000_000);
                }
            }
        }
    }

    /** Returns the last request failure that counted against the node, or null if none did. */
    public Throwable lastFailureCause() {
        return lastFailureCause;
    }

    /** Returns the last failure's description ({@code "none"} before the first). */
    public String lastFailure() {
        return lastFailure;
    }

    /**
     * The node said it is catching up (a probe, or {@code SERVER_ERROR catching up}): down at once,
     * back only through a probe that reads ready.
     */
    public void onNotReady() {
        lastFailureNanos = ticker.nanoTime() - quarantineNanos; // not a failure: no quarantine once it is ready
        if (up) {
            synchronized (this) {
                if (up) {
                    up = false;
                    downEvents.increment();
                    log.info("memcached node {} is catching up; not used until its probe reads repl_state ready", node);
                }
            }
        }
    }

    /** Warns once when the node's ring fingerprint (null: none reported) differs from the client's. */
    public void onFingerprint(String theirs, String ours) {
        if (theirs != null && !theirs.equals(ours) && !fingerprintWarned) {
            fingerprintWarned = true;
            log.warn("node {} has ring fingerprint {} but this client's server list gives {}: nodes and clients list"
                    + " different servers (or in a different order); keys may be refused or misplaced", node, theirs, ours);
        }
    }

    public void onFailure(Throwable cause) {
        failures.increment();
        lastFailureNanos = ticker.nanoTime();
        lastFailure = cause.toString();
        lastFailureCause = cause;
        if (consecutiveFailures.incrementAndGet() >= threshold && up) {
            synchronized (this) {
                if (up) {
                    up = false;
                    downEvents.increment();
                    log.info("memcached node {} marked down after {} consecutive failures (last: {}); back after a"
                            + " probe answered {} ms after its last failure", node, threshold, cause.toString(),
                            quarantineNanos / 1_000_000);
                }
            }
        }
    }

    public long failures() {
        return failures.sum();
    }

    public long downEvents() {
        return downEvents.sum();
    }

    public long upEvents() {
        return upEvents.sum();
    }

    /** Returns how many probes were answered (whether or not they brought the node back). */
    public long probeSuccesses() {
        return probeSuccesses.sum();
    }
}
