package io.memring.client;

/** What a request does when its key's node is marked down. */
public enum FailoverPolicy {
    /** Fail at once with {@link NodeUnavailableException}. */
    FAIL_FAST,
    /** Go to the next live node clockwise on the ring (as replicas are placed). */
    FAILOVER
}
