/**
 * One node's connections and health. A {@link io.memring.client.connection.NodeConnection} is a
 * pipelined Netty channel with a FIFO of outstanding {@link io.memring.client.connection.Request}s
 * (memcached answers in order; a quiet batch ends with {@code mn}), batched writes per event-loop
 * turn (whole requests only), a bound on requests in flight, per-request deadlines, and reconnects
 * with exponential backoff. All of a connection's state lives on one event loop. A {@link
 * io.memring.client.connection.Node} has its request connections plus one for scans, whose deadline
 * moves with progress and whose failures never touch the node's health. {@link
 * io.memring.client.connection.NodeHealth} turns consecutive failures into down decisions; only an
 * answered probe after a quarantine brings a node back. Keys arrive here already validated.
 */
package io.memring.client.connection;
