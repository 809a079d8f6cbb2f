/**
 * Node-wide counters reported by {@code stats}, with memcached's names. Connection and command
 * counters live here; item counters live in the storage shards and are summed on demand.
 */
package io.memring.server.stats;
