/**
 * Asynchronous peer replication between clustered nodes ({@code --peers}, {@code --replicas}).
 *
 * <p>What lives here: {@link io.memring.server.replication.Replication} (the storage
 * {@code MutationListener} that ships every client write to the key's other owners, and the entry
 * point {@code MemringServer} wires), {@code PeerLink} (one outgoing link per peer: handshake,
 * pipelined writes, a queue bounded in bytes, drop-and-resync on overflow or outage),
 * {@code PeerHandshake} and {@code PeerInbound} (the accepting side: a client connection whose first
 * line is a valid hello becomes a peer link and applies frames last-writer-wins), {@code
 * OwnedItemsStream} (every item a node owns as frames: full resync and the DUMP catch-up command),
 * {@code PeerFrames} (the wire format). Depends on {@code storage} (apply paths, versions) and
 * {@code cluster} (membership, owners); nothing depends on it but {@code MemringServer}.
 *
 * <p>Decisions:
 * <ul>
 *   <li><b>Versions are the CAS</b>: a hybrid logical clock, {@code [42 bits ms since 2024-01-01 | 14 bits
 *       counter | 8 bits node id]} ({@code storage.HybridClock}); applying a peer's version moves the
 *       clock past it.</li>
 *   <li><b>State, not operations</b>: SET frames carry value, flags, unix exptime and version; a delete
 *       ships a tombstone with a new version; an immediate {@code flush_all} ships its version
 *       watermark, a delayed one its unix time. Evictions and expiry are not shipped.</li>
 *   <li><b>Last-writer-wins</b> on the replica, silent to the MutationListener (nothing applied is
 *       shipped again, and replica applies raise no client events). Tombstones are remembered 120 s
 *       and 4096 keys per shard; an older set arriving later than that could revive a deleted key.</li>
 *   <li><b>Nothing diverges silently</b>: a frame that cannot be queued is counted in
 *       {@code repl_dropped} and the peer is marked for a full resync (stream of every item it owns),
 *       counted in {@code repl_resyncs}. Flushes (the last 16) and deletes (up to 65,536 keys per
 *       peer) dropped meanwhile are remembered and replayed at the start of the resync, flushes first.</li>
 *   <li><b>Trust</b>: with {@code -Z}/{@code -Y} links set up TLS (the node's certificate as client
 *       certificate) and authenticate before the hello, and a hello on an unauthenticated connection is
 *       refused ({@code cluster.PeerSecurity}); without either, peers are trusted on a private network and
 *       the fingerprint guards only against misconfiguration.</li>
 * </ul>
 */
package io.memring.server.replication;
