/**
 * Cluster membership and key ownership: who the peers are ({@code --peers}, {@code --replicas}), which
 * nodes own a key (the client's ketama ring, so nodes and clients agree), and whether this node may
 * accept a client's write or must name the owner. Depends on the client's {@code ketama} package and
 * on nothing else of the node's.
 */
package io.memring.server.cluster;
