package io.memring.server.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a starting node up to date before it serves: pulls, from every other member, the items this
 * node owns, then declares it {@code ready}. A peer that cannot be reached is skipped and named; when
 * no peer can be reached the node is ready at once (a brand-new cluster, or one that lost every other
 * node) and says so in its log and {@code stats repl_state_note}, rather than waiting forever. Live
 * replication applies concurrently, and the sink applies by version, so an item pulled late never
 * overwrites a newer one shipped meanwhile.
 */
public final class CatchUp implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(CatchUp.class);

    private final Membership membership;
    private final Readiness readiness;
    private final ReplicaSink sink;
    private final int timeoutMillis;
    private final int maxValue;
    private final PeerSecurity security;
    /** Rounds of pulls from the peers that failed, {@value #RETRY_MILLIS} ms apart. */
    static final int PULL_ROUNDS = 5;
    static final long RETRY_MILLIS = 1000;

    public CatchUp(Membership membership, Readiness readiness, ReplicaSink sink, int timeoutMillis, int maxValue) {
        this(membership, readiness, sink, timeoutMillis, maxValue, PeerSecurity.none());
    }

    /** The same, with the pulls' connections secured as {@code security} says. */
    public CatchUp(Membership membership, Readiness readiness, ReplicaSink sink, int timeoutMillis, int maxValue,
            PeerSecurity security) {
        this.security = security;
        this.membership = membership;
        this.readiness = readiness;
        this.sink = sink;
        this.timeoutMillis = timeoutMillis;
        this.maxValue = maxValue;
    }

    @Override
    public void run() {
        int stored = 0;
        int[] applied = {0};
        ReplicaSink counting = (key, value, flags, ttl, version) -> {
            boolean newer = sink.apply(key, value, flags, ttl, version);
            applied[0] += newer ? 1 : 0;
            return newer;
        };
        List<String> asked = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        List<String> notRunning = new ArrayList<>();
        List<PeerAddress> left = new ArrayList<>(membership.peers());
        // A peer that fails is asked again a few times, a second apart: a loaded peer times out, a
        // peer catching up itself refuses, and one node restarting beside another must not give up on
        // it at once and serve an empty range. Bounded, so a node whose peers are gone is not stuck.
        for (int round = 1; round <= PULL_ROUNDS && !left.isEmpty(); round++) {
            if (round > 1) {
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            unreachable.clear();
            for (java.util.Iterator<PeerAddress> it = left.iterator(); it.hasNext();) {
                PeerAddress peer = it.next();
                readiness.progress("pulling from " + peer.spelled() + (round > 1 ? " (attempt " + round + ")" : ""));
                try {
                    int n = new RangePuller(peer, timeoutMillis, maxValue, membership.fingerprint(), security)
                            .pull(membership::isOwner, counting);
                    stored += n;
                    asked.add(peer.spelled());
                    it.remove();
                    log.info("catch-up: {} items from {}", n, peer);
                } catch (java.net.ConnectException e) {
                    // Nothing listens there: a dead node, or one restarting, which comes back empty. It
                    // holds nothing to pull, and waiting on it kept a survivor refusing clients for
                    // every retry round while a peer was down.
                    notRunning.add(peer.spelled());
                    it.remove();
                    log.warn("catch-up: {} refuses connections (not running): not asked again", peer);
                } catch (IOException | RuntimeException e) {
                    unreachable.add(peer.spelled());
                    log.warn("catch-up: cannot pull from {} (attempt {} of {}): {}", peer, round, PULL_ROUNDS, e.toString());
                }
            }
        }
        unreachable.addAll(notRunning);
        if (asked.isEmpty()) {
            readiness.becomeReady("no peer reachable (" + String.join(",", unreachable) + "); serving what it has", true);
        } else if (stored == 0) {
            readiness.becomeReady("no peer holds data for this node (" + asked.size() + " asked)"
                    + (unreachable.isEmpty() ? "" : "; unreachable " + String.join(",", unreachable)), !unreachable.isEmpty());
        } else {
            readiness.becomeReady("pulled " + stored + " items from " + asked.size() + " peers, " + applied[0]
                    + " newer than what the live stream had brought"
                    + (unreachable.isEmpty() ? "" : "; unreachable " + String.join(",", unreachable)), !unreachable.isEmpty());
        }
    }
}
