package io.memring.server.storage;

import java.util.concurrent.locks.LockSupport;

/**
 * {@link System#nanoTime()} read at most {@value #TICK_MILLIS} ms late, for clocks read on every
 * request whose users only need whole seconds: the storage clock (memcached's {@code current_time},
 * which memcached itself advances once a second from a timer) and a connection's last-input time
 * (idle kicks and {@code stats conns} count whole seconds).
 *
 * <p>Why: on this VM a {@code clock_gettime} through the vDSO costs ~0.1 µs, and the node read it
 * twice per request (about 1% of the node's CPU under memcaslap's load; benchmarks/README.md,
 * "Fourth pass"). One daemon thread per JVM stores the time every tick; a read is one volatile load.
 *
 * <p>The value never goes backwards and is never more than one tick (plus scheduling delay of the
 * ticker thread) behind {@code System.nanoTime()}, so a deadline computed from it is reached late,
 * never early.
 */
public final class CoarseNanos {
    static final long TICK_MILLIS = 10;
    /** One tick in nanoseconds: add it to a timeout measured from this clock to never fire early. */
    public static final long TICK_NANOS = TICK_MILLIS * 1_000_000L;

    private static volatile long now = System.nanoTime();

    static {
        Thread ticker = new Thread(CoarseNanos::tick, "memring-clock");
        ticker.setDaemon(true);
        ticker.start();
    }

    private CoarseNanos() {
    }

    /** Returns {@link System#nanoTime()} as of the last tick (at most ~{@value #TICK_MILLIS} ms ago). */
    public static long now() {
        return now;
    }

    private static void tick() {
        while (true) {
            LockSupport.parkNanos(TICK_NANOS);
            long t = System.nanoTime();
            if (t > now) {
                now = t;
            }
        }
    }
}
