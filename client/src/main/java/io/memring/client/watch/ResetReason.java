package io.memring.client.watch;

/** Why everything learnt from a node must be forgotten ({@link MutationSink#reset}). */
public enum ResetReason {
    /** A sequence number was skipped (or the stream broke its own rules): events were lost. */
    GAP,
    /** The node restarted (a new boot id): everything it held is gone. */
    NEW_BOOT,
    /** The subscription connection closed or could not be kept (also after a malformed stream, logged at WARN). */
    DISCONNECTED,
    /** No line from the node for 3 s: it may be paused or cut off. */
    HEARTBEAT_MISSED,
    /** The node dropped this subscriber because it fell too far behind ({@code MO}). */
    OVERFLOW,
    /** Stock memcached's {@code watch} reported lost lines ({@code skipped=N}). */
    SKIPPED
}
