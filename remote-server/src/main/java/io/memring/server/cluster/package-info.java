/**
 * Cluster membership and key ownership: who the peers are ({@code --peers}, {@code --replicas}), which
 * nodes own a key (the client's ketama ring, so nodes and clients agree), and whether this node may
 * accept a client's write or must name the owner; {@link io.memring.server.cluster.PeerSecurity}, how
 * this node's connections to its peers are secured (TLS, authentication) and which hellos it accepts.
 * Depends on the client's {@code ketama} and {@code security} packages and, for {@code PeerSecurity},
 * on the node's {@code security} settings; on nothing else of the node's.
 */
package io.memring.server.cluster;
