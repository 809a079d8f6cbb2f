/**
 * One node's connections and health. A {@link io.memring.client.connection.NodeConnection} is a
 * pipelined Netty channel with a FIFO of outstanding {@link io.memring.client.connection.Request}s
 * (memcached answers in order; a quiet batch ends with {@code mn}), batched writes per event-loop
 * turn, a bound on requests in flight, per-request deadlines, and reconnects with exponential
 * backoff. All of a connection's state lives on one event loop. {@link
 * io.memring.client.connection.NodeHealth} turns consecutive failures into down/up decisions.
 */
package io.memring.client.connection;
