package io.memring.server.security;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Bounds failed authentication attempts per client address: a token bucket of {@value #BURST} failures,
 * refilled at one per {@value #REFILL_MILLIS} ms. While an address's bucket is empty its attempts are refused
 * without checking the password (so a password cannot be guessed faster than the refill) and the connection
 * is closed. Successful attempts and authenticated connections are never slowed; other addresses are not
 * affected. The map holds at most {@value #MAX_ADDRESSES} addresses; past that, idle (refilled) ones are
 * dropped, and if all are busy new addresses share one bucket (a distributed flood then throttles only
 * newcomers that fail). Only failures take the lock.
 */
public final class AuthThrottle {
    public static final int BURST = 10;
    public static final long REFILL_MILLIS = 1000;
    static final int MAX_ADDRESSES = 4096;
    private static final long REFILL_NANOS = REFILL_MILLIS * 1_000_000;

    private static final class Bucket {
        double tokens = BURST;
        long updatedNanos;
    }

    private final LongSupplier nanoTime;
    private final Map<InetAddress, Bucket> buckets = new HashMap<>();
    private final Bucket shared = new Bucket();

    public AuthThrottle() {
        this(System::nanoTime);
    }

    /** A throttle reading time from {@code nanoTime} (tests). */
    public AuthThrottle(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        shared.updatedNanos = nanoTime.getAsLong();
    }

    /** Returns whether {@code address} may try a password now (its bucket is not empty). */
    public synchronized boolean mayTry(InetAddress address) {
        Bucket b = buckets.get(address);
        if (b == null) {
            return buckets.size() < MAX_ADDRESSES || refill(shared) >= 1;
        }
        return refill(b) >= 1;
    }

    /** Records a failed attempt from {@code address}. */
    public synchronized void failed(InetAddress address) {
        Bucket b = buckets.get(address);
        if (b == null) {
            if (buckets.size() >= MAX_ADDRESSES) {
                pruneIdle();
            }
            if (buckets.size() >= MAX_ADDRESSES) {
                b = shared;
            } else {
                b = new Bucket();
                b.updatedNanos = nanoTime.getAsLong();
                buckets.put(address, b);
            }
        }
        refill(b);
        b.tokens = Math.max(0, b.tokens - 1);
    }

    private double refill(Bucket b) {
        long now = nanoTime.getAsLong();
        b.tokens = Math.min(BURST, b.tokens + (now - b.updatedNanos) / (double) REFILL_NANOS);
        b.updatedNanos = now;
        return b.tokens;
    }

    private void pruneIdle() {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            if (refill(it.next()) >= BURST) {
                it.remove();
            }
        }
    }
}
