/**
 * Mutation streams (issue 11's contract, {@code NEARCACHE.md}): {@code MemcacheClient.watch} subscribes a
 * {@link io.memring.client.watch.MutationSink} to the writes the nodes accept under a key prefix.
 *
 * <ul>
 *   <li>Public API: {@link io.memring.client.watch.WatchSubscription}, {@link io.memring.client.watch.MutationSink},
 *       {@link io.memring.client.watch.Mutation}, {@link io.memring.client.watch.MutationKind},
 *       {@link io.memring.client.watch.ResetReason}, {@link io.memring.client.watch.WatchMode}.
 *   <li>{@link io.memring.client.watch.Watcher}: one per client; the live subscriptions, their union
 *       ({@code Interest}), one {@code NodeWatch} connection per node, and the one watch thread every sink
 *       is called on, in each node's order.
 *   <li>{@code NodeWatch}: one node's subscription connection (state on its event loop): {@code mr_watch},
 *       sequence/boot/heartbeat checks, resets, reconnect with backoff, the stock {@code watch mutations}
 *       fallback.
 *   <li>{@code WatchStreamDecoder} / {@code StockLines}: the stream's bytes, bounded and validated; anything
 *       malformed is a {@code ProtocolException} and a reset, never an exception in the application.
 * </ul>
 *
 * <p>Depends on Netty and the client's config and exceptions; nothing else in the client depends on it but
 * {@code MemcacheClients} (assembly) and {@code RingClient} (the API).
 */
package io.memring.client.watch;
