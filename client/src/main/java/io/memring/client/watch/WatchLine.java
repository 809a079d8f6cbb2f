package io.memring.client.watch;

/** One decoded unit of a subscription stream (Memring's or stock memcached's {@code watch}). */
sealed interface WatchLine {
    /** {@code MW <bootId> <seq>}: subscribed (or re-subscribed) as of {@code seq}. */
    record Subscribed(long bootId, long seq) implements WatchLine {
    }

    /** {@code ME ...} with its data block, if any. */
    record Event(long seq, MutationKind kind, byte[] key, long version, long origin, int flags, long exptime,
                 byte[] oldValue, byte[] newValue, int oldFlags) implements WatchLine {
    }

    /** {@code MH <seq>}. */
    record Heartbeat(long seq) implements WatchLine {
    }

    /** {@code MO}: the node dropped this subscriber for falling behind. */
    record Overflow() implements WatchLine {
    }

    /** {@code OK} (stock memcached accepted {@code watch mutations}). */
    record Ok() implements WatchLine {
    }

    /** {@code ERROR}, {@code CLIENT_ERROR ...} or {@code SERVER_ERROR ...}, with the line. */
    record Refused(String line) implements WatchLine {
    }

    /** A stock {@code watch mutations} store line that changed {@code key}. */
    record StockStore(MutationKind kind, byte[] key, int ttl) implements WatchLine {
    }

    /** Stock memcached's {@code skipped=N}: N log lines were lost. */
    record Skipped(long count) implements WatchLine {
    }

    /** A stock log line that changes nothing (a failed store, another log type). */
    record Ignored() implements WatchLine {
    }
}
