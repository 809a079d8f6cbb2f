package io.memring.jcache.near;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** A near cache's counts; always kept (they cost an add each), exposed through JMX and {@code unwrap}. */
public final class NearCacheStats implements NearCacheStatsMXBean {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder installs = new LongAdder();
    private final LongAdder invalidations = new LongAdder();
    private final LongAdder resets = new LongAdder();
    private final LongAdder clears = new LongAdder();
    private final LongSupplier size;
    private final Supplier<InvalidationFeed.Mode> mode;

    NearCacheStats(LongSupplier size, Supplier<InvalidationFeed.Mode> mode) {
        this.size = size;
        this.mode = mode;
    }

    void hit() {
        hits.increment();
    }

    void misses(long n) {
        misses.add(n);
    }

    void installed() {
        installs.increment();
    }

    void invalidated() {
        invalidations.increment();
    }

    void reset() {
        resets.increment();
    }

    void cleared() {
        clears.increment();
    }

    @Override
    public long getNearHits() {
        return hits.sum();
    }

    @Override
    public long getNearMisses() {
        return misses.sum();
    }

    @Override
    public long getInstalls() {
        return installs.sum();
    }

    @Override
    public long getInvalidationsReceived() {
        return invalidations.sum();
    }

    @Override
    public long getResets() {
        return resets.sum();
    }

    @Override
    public long getClears() {
        return clears.sum();
    }

    @Override
    public long getSize() {
        return size.getAsLong();
    }

    @Override
    public String getMode() {
        return mode.get().name();
    }

    @Override
    public String toString() {
        return "NearCacheStats[hits=" + getNearHits() + ", misses=" + getNearMisses() + ", installs=" + getInstalls()
                + ", invalidations=" + getInvalidationsReceived() + ", resets=" + getResets() + ", clears=" + getClears()
                + ", size=" + getSize() + ", mode=" + getMode() + "]";
    }
}
