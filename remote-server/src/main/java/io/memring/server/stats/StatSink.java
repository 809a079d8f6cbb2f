package io.memring.server.stats;

/** Receives one {@code STAT <name> <value>} line; renderers write to it so they can be tested without a channel. */
@FunctionalInterface
public interface StatSink {
    void stat(String name, Object value);
}
