package io.memring.server.stats;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Command and connection counters, updated from any event loop without locks or shared writes. */
public final class ServerStats {
    /** Per-request counters, per thread (see {@link LocalCounter}). */
    private final LocalCounter.Group counters = new LocalCounter.Group();
    public final LocalCounter cmdGet = counters.newCounter();
    public final LocalCounter cmdSet = counters.newCounter();
    public final LocalCounter cmdFlush = counters.newCounter();
    public final LocalCounter cmdTouch = counters.newCounter();
    public final LocalCounter cmdMeta = counters.newCounter();
    public final LocalCounter getHits = counters.newCounter();
    public final LocalCounter getMisses = counters.newCounter();
    public final LocalCounter deleteHits = counters.newCounter();
    public final LocalCounter deleteMisses = counters.newCounter();
    public final LocalCounter incrHits = counters.newCounter();
    public final LocalCounter incrMisses = counters.newCounter();
    public final LocalCounter decrHits = counters.newCounter();
    public final LocalCounter decrMisses = counters.newCounter();
    public final LocalCounter casHits = counters.newCounter();
    public final LocalCounter casMisses = counters.newCounter();
    public final LocalCounter casBadval = counters.newCounter();
    public final LocalCounter touchHits = counters.newCounter();
    public final LocalCounter touchMisses = counters.newCounter();
    public final LocalCounter storeTooLarge = counters.newCounter();
    public final LocalCounter storeNoMemory = counters.newCounter();
    public final LocalCounter bytesRead = counters.newCounter();
    public final LocalCounter bytesWritten = counters.newCounter();
    public final LocalCounter authCmds = counters.newCounter();

    /** Data blocks refused because the connection-buffer budget was spent (memcached's {@code read_buf_oom}). */
    public final LongAdder readBufOom = new LongAdder();
    /** Large reply values refused for the same reason (memcached's {@code response_obj_oom}). */
    public final LongAdder responseObjOom = new LongAdder();
    /** Connections closed by the idle timeout ({@code idle_kicks}). */
    public final LongAdder idleKicks = new LongAdder();
    /** memcached's {@code -o idle_timeout}: seconds without activity before a client is closed; 0 = never. */
    public volatile int idleTimeout;
    /** The storage's {@code oldest_live}, for {@code stats settings oldest}; set by the node. */
    public volatile java.util.function.IntSupplier oldestLive = () -> 0;
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
        for (LocalCounter a : new LocalCounter[] {cmdGet, cmdSet, cmdFlush, cmdTouch, cmdMeta, getHits, getMisses,
                deleteHits, deleteMisses, incrHits, incrMisses, decrHits, decrMisses, casHits, casMisses, casBadval,
                touchHits, touchMisses, storeTooLarge, storeNoMemory, bytesRead, bytesWritten, authCmds}) {
            a.reset();
        }
        for (LongAdder a : new LongAdder[] {authErrors, authThrottled, sslHandshakeErrors, sslHandshakeTimeouts,
                sslHandshakesRefused, totalConnections, rejectedConnections, connYields, listenDisabled,
                listenDisabledMicros, crawlerStarts, readBufOom, responseObjOom, idleKicks}) {
            a.reset();
        }
    }
}
