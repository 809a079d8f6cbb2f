package io.memring.client.watch;

/** How far a subscription can be trusted. */
public enum WatchMode {
    /** Every node known so far is a Memring node: every client write is pushed, with sequence numbers. */
    PUSH,
    /**
     * Some node is stock memcached with {@code watch mutations}: stores are reported (no values, version
     * or origin; not deletes, touches or incr/decr), and lost lines are only announced ({@code skipped=}).
     * Staleness must also be bounded by time.
     */
    BEST_EFFORT,
    /** Some node offers no mutation stream at all: only a time bound limits staleness. */
    NONE
}
