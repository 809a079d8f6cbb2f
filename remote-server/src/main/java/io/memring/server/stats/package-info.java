/**
 * Node-wide counters and the renderers of {@code stats} with memcached's names, in memcached's order:
 * {@code ServerStats} (connection and command counters, settings changed at run time),
 * {@code LiveConnections} (open sockets, for {@code stats conns}), {@code GeneralReport} and
 * {@code SettingsReport} (write to a {@code StatSink}, so they are tested without a channel). Item
 * counters live in the storage shards and are summed on demand. Depends on the server config and
 * storage snapshots, never on the protocol.
 */
package io.memring.server.stats;
