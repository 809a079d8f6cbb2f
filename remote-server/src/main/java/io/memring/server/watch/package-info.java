/**
 * The node's mutation stream (issue 11's contract, {@code NEARCACHE.md}): clients subscribe with
 * {@code mr_watch} on a connection of their own and hear every client write this node accepts on keys
 * under their prefixes, for near-cache invalidation and cross-JVM JCache events.
 *
 * <ul>
 *   <li>{@link io.memring.server.watch.WatchHub}: the storage {@code MutationListener}; turns each change
 *       into one shared {@code WatchEvent} and offers it to matching subscribers, under the shard lock,
 *       without I/O. Replica and catch-up applies are silent in storage, so never events; a peer's
 *       flush applied here is announced (it killed this node's items too).
 *   <li>{@link io.memring.server.watch.Subscriber}: one subscription connection; a lock-free queue drained
 *       on its event loop, per-connection sequence numbers, {@code MH} heartbeats every second, and a
 *       byte bound ({@code -o watch_buffer_bytes}, 4 MB) past which it is closed ({@code MO}), and a share
 *       of the node-wide bound ({@code -o watch_total_bytes}, 64 MB) the hub keeps the total for.
 *   <li>{@link io.memring.server.watch.WriteOrigin}: the {@code mr_client} id of the command running on
 *       this thread, so a subscriber is not sent its own writes, and the clear marker ({@code md ... Y}).
 * </ul>
 *
 * <p>Depends on {@code storage} (listener, item views, versions), {@code stats} and Netty; the
 * {@code protocol} package parses {@code mr_client}/{@code mr_watch} and calls in here.
 */
package io.memring.server.watch;
