package io.memring.server.replication;

import java.util.Arrays;

/** The last {@value #SIZE} replication lags (ms), for p50/p99 in {@code stats}. Thread-safe. */
final class LagSampler {
    static final int SIZE = 8192;
    private final long[] samples = new long[SIZE];
    private long count;

    synchronized void add(long ms) {
        samples[(int) (count++ % SIZE)] = Math.max(0, ms);
    }

    /** Returns the {@code q} quantile (0..1) of the retained samples, 0 when there are none. */
    synchronized long quantile(double q) {
        int n = (int) Math.min(count, SIZE);
        if (n == 0) {
            return 0;
        }
        long[] copy = Arrays.copyOf(samples, n);
        Arrays.sort(copy);
        return copy[Math.min(n - 1, (int) Math.ceil(q * n) - 1 < 0 ? 0 : (int) Math.ceil(q * n) - 1)];
    }
}
