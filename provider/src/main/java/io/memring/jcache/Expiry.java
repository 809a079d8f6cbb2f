package io.memring.jcache;

import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;

/**
 * The spec's expiry rules over a configured {@link ExpiryPolicy}, in absolute wall-clock
 * milliseconds (0 = never). The policy is called exactly when the spec says: creation on every new
 * entry, update on every changed one, access on every read hit; a policy that throws, or returns null
 * for an update or access, leaves the expiry as it was (creation falls back to eternal).
 */
final class Expiry {
    /** Marker for "keep the current expiry". */
    static final long UNCHANGED = -1;

    private final ExpiryPolicy policy;

    Expiry(ExpiryPolicy policy) {
        this.policy = policy;
    }

    ExpiryPolicy policy() {
        return policy;
    }

    long forCreation(long now) {
        Duration d;
        try {
            d = policy.getExpiryForCreation();
        } catch (RuntimeException e) {
            d = Duration.ETERNAL;
        }
        return toAbsolute(d == null ? Duration.ETERNAL : d, now);
    }

    long forUpdate(long now) {
        try {
            Duration d = policy.getExpiryForUpdate();
            return d == null ? UNCHANGED : toAbsolute(d, now);
        } catch (RuntimeException e) {
            return UNCHANGED;
        }
    }

    long forAccess(long now) {
        try {
            Duration d = policy.getExpiryForAccess();
            return d == null ? UNCHANGED : toAbsolute(d, now);
        } catch (RuntimeException e) {
            return UNCHANGED;
        }
    }

    /**
     * {@link #forAccess(long)} that reads {@code clock} only if the answer needs the time (a finite
     * duration) and {@code now} is not known yet (negative): one policy call either way.
     */
    long forAccess(long now, java.util.function.LongSupplier clock) {
        Duration d;
        try {
            d = policy.getExpiryForAccess();
        } catch (RuntimeException e) {
            return UNCHANGED;
        }
        if (d == null) {
            return UNCHANGED;
        }
        if (d.isEternal()) {
            return 0;
        }
        return toAbsolute(d, now >= 0 ? now : clock.getAsLong());
    }

    /**
     * Returns the absolute expiry: 0 for eternal; {@code now} for zero (already expired: never sent to
     * memcached as TTL 0, which would mean "never").
     */
    static long toAbsolute(Duration d, long now) {
        if (d.isEternal()) {
            return 0;
        }
        if (d.isZero()) {
            return now;
        }
        long millis = d.getTimeUnit().toMillis(d.getDurationAmount());
        long at = now + Math.max(1, millis);
        return at < now ? Long.MAX_VALUE : at; // overflow: as good as never
    }

    static boolean isExpired(long expiry, long now) {
        return expiry != 0 && expiry <= now;
    }
}
