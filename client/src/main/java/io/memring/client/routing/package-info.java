/**
 * From keys to nodes: {@link io.memring.client.routing.Router} picks a key's node on the ketama ring
 * and applies the failover policy; {@link io.memring.client.routing.RingClient} implements the client
 * API on top, splitting multi-key operations into one pipelined batch per node.
 */
package io.memring.client.routing;
