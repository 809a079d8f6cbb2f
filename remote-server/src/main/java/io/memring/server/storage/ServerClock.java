package io.memring.server.storage;

/**
 * Memcached's notion of time: whole seconds since the process started ({@code rel_time_t}), and the
 * conversion of a protocol exptime to that scale.
 */
public interface ServerClock {

    /** Seconds in 30 days: larger exptimes are absolute unix times. */
    int REALTIME_MAXDELTA = 60 * 60 * 24 * 30;

    /** Returns the current time in seconds since process start; never 0. */
    int now();

    /** Returns the unix time (seconds) corresponding to relative time 0. */
    long processStarted();

    /**
     * Returns the relative expiry for a protocol exptime: 0 = never, a negative value = already
     * expired, up to 30 days = relative, larger = absolute unix time.
     */
    default int toRelativeExpiry(long exptime) {
        if (exptime < 0) {
            exptime = REALTIME_MAXDELTA + 1L;
        }
        if (exptime == 0) {
            return 0;
        }
        if (exptime > REALTIME_MAXDELTA) {
            if (exptime <= processStarted()) {
                return 1;
            }
            long rel = exptime - processStarted();
            return rel > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) rel;
        }
        return (int) (exptime + now());
    }

    /** A clock on the system's monotonic timer, started now. */
    static ServerClock system() {
        return new SystemClock();
    }

    /**
     * The production clock: wall time at start, monotonic time after, read from {@link CoarseNanos}
     * (at most ~10 ms late, as memcached's own clock advances once a second).
     */
    final class SystemClock implements ServerClock {
        // As memcached: pretend we started 2 s ago so that relative time is never 0.
        private final long startedUnix = System.currentTimeMillis() / 1000 - 2;
        private final long startedNanos = System.nanoTime() - 2_000_000_000L;

        @Override
        public int now() {
            return Math.max(1, (int) ((CoarseNanos.now() - startedNanos) / 1_000_000_000L));
        }

        @Override
        public long processStarted() {
            return startedUnix;
        }
    }
}
