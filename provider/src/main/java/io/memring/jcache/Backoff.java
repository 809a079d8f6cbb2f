package io.memring.jcache;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits between attempts of a lost CAS race: the first retry is immediate, then a bounded exponential
 * delay with full jitter, so that clients racing on one key spread out instead of colliding again.
 */
final class Backoff {
    static final long BASE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    static final long CAP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private Backoff() {
    }

    /** Returns the upper bound of the delay before retry number {@code retry} (1 = the first retry). */
    static long ceilingNanos(int retry) {
        if (retry <= 1) {
            return 0;
        }
        int shift = Math.min(retry - 2, 20);
        return Math.min(CAP_NANOS, BASE_NANOS << shift);
    }

    /** Pauses before retry number {@code retry}: a random time in [ceiling/2, ceiling]. */
    static void pause(int retry) {
        long ceiling = ceilingNanos(retry);
        if (ceiling == 0) {
            Thread.onSpinWait();
            return;
        }
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }
}
