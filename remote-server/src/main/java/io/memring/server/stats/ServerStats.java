package io.memring.server.stats;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Command and connection counters, updated from any event loop without locks. */
public final class ServerStats {
    public final LongAdder cmdGet = new LongAdder();
    public final LongAdder cmdSet = new LongAdder();
    public final LongAdder cmdFlush = new LongAdder();
    public final LongAdder cmdTouch = new LongAdder();
    public final LongAdder cmdMeta = new LongAdder();
    public final LongAdder getHits = new LongAdder();
    public final LongAdder getMisses = new LongAdder();
    public final LongAdder deleteHits = new LongAdder();
    public final LongAdder deleteMisses = new LongAdder();
    public final LongAdder incrHits = new LongAdder();
    public final LongAdder incrMisses = new LongAdder();
    public final LongAdder decrHits = new LongAdder();
    public final LongAdder decrMisses = new LongAdder();
    public final LongAdder casHits = new LongAdder();
    public final LongAdder casMisses = new LongAdder();
    public final LongAdder casBadval = new LongAdder();
    public final LongAdder touchHits = new LongAdder();
    public final LongAdder touchMisses = new LongAdder();
    public final LongAdder storeTooLarge = new LongAdder();
    public final LongAdder storeNoMemory = new LongAdder();
    public final LongAdder bytesRead = new LongAdder();
    public final LongAdder bytesWritten = new LongAdder();
    public final LongAdder authCmds = new LongAdder();
    /** Failed {@code -Y} authentications (memcached's {@code auth_errors}); those refused by the throttle too. */
    public final LongAdder authErrors = new LongAdder();
    /** Authentications refused unchecked because their address failed too often ({@code memring_auth_throttled}). */
    public final LongAdder authThrottled = new LongAdder();
    /** TLS handshakes that did not complete: bad or missing certificate, plaintext, timeout, refusal. */
    public final LongAdder sslHandshakeErrors = new LongAdder();
    /** Of those, the ones that timed out ({@code memring_ssl_handshake_timeouts}). */
    public final LongAdder sslHandshakeTimeouts = new LongAdder();
    /** Of those, connections closed because too many handshakes were in progress ({@code memring_ssl_handshakes_refused}). */
    public final LongAdder sslHandshakesRefused = new LongAdder();

    public final AtomicLong currConnections = new AtomicLong();
    public final LongAdder totalConnections = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    public final LongAdder connYields = new LongAdder();
    /** Times accepting stopped because accept() failed (descriptors exhausted), as memcached's {@code listen_disabled_num}. */
    public final LongAdder listenDisabled = new LongAdder();
    public final LongAdder listenDisabledMicros = new LongAdder();
    /** Background expiry sweeps started and running (memcached's LRU crawler does this job). */
    public final LongAdder crawlerStarts = new LongAdder();
    public final AtomicLong crawlersRunning = new AtomicLong();

    /** Bytes held now in the connection-buffer budget ({@code -o read_buf_mem_limit}), for {@code read_buf_bytes}. */
    public volatile java.util.function.LongSupplier bufferBytes = () -> 0;

    /** Seconds since the TLS certificates were (re)loaded, for {@code time_since_server_cert_refresh}. */
    public volatile java.util.function.LongSupplier secondsSinceCertRefresh = () -> 0;

    /** Open sockets, for {@code stats conns} and {@code connection_structures}. */
    public final LiveConnections connections = new LiveConnections();

    /** {@code slabs automove} as last set (memcached's default 1); reported by {@code stats settings}. */
    public volatile int slabAutomove = 1;
    /** {@code slabs automove ratio} as last set (memcached's default 0.8). */
    public volatile double slabAutomoveRatio = 0.8;

    /** Counts a CAS store's outcome as memcached does (cas_hits, cas_badval, cas_misses); others are not counted here. */
    public void countStore(boolean casMode, boolean stored, boolean exists) {
        if (!casMode) {
            return;
        }
        (stored ? casHits : exists ? casBadval : casMisses).increment();
    }

    /** {@code stats reset}: zero the resettable counters, as memcached (not current gauges). */
    public void reset() {
        for (LongAdder a : new LongAdder[] {cmdGet, cmdSet, cmdFlush, cmdTouch, cmdMeta, getHits, getMisses,
                deleteHits, deleteMisses, incrHits, incrMisses, decrHits, decrMisses, casHits, casMisses, casBadval,
                touchHits, touchMisses, storeTooLarge, storeNoMemory, bytesRead, bytesWritten, authCmds, authErrors, authThrottled,
                sslHandshakeErrors, sslHandshakeTimeouts, sslHandshakesRefused,
                totalConnections, rejectedConnections, connYields, listenDisabled, listenDisabledMicros, crawlerStarts}) {
            a.reset();
        }
    }
}
