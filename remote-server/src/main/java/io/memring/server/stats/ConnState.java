package io.memring.server.stats;

/**
 * A protocol handler's view of its connection for {@code stats conns} and the idle timeout: the
 * memcached state it is in between reads ({@code conn_read} for a command line partly received,
 * {@code conn_nread} for a data block, {@code conn_swallow} for a refused one, {@code conn_watch} for a
 * mutation-stream subscriber, which the idle timeout leaves alone as memcached leaves its watchers),
 * or null when it
 * waits for a new command. Read from another thread: a slightly stale answer is fine.
 */
public interface ConnState {
    String connState();
}
