package io.memring.server.watch;

/**
 * What one subscription asked for: its client id (writes it made are not echoed), its key prefixes
 * and whether it wants values. Immutable; an {@code mr_watch} sent again replaces it whole.
 */
final class PrefixFilter {
    static final PrefixFilter NOTHING = new PrefixFilter(0, false, new byte[0][]);

    final long clientId;
    final boolean values;
    private final byte[][] prefixes;

    PrefixFilter(long clientId, boolean values, byte[][] prefixes) {
        this.clientId = clientId;
        this.values = values;
        this.prefixes = prefixes;
    }

    /**
     * Returns whether an event for {@code key} (null = a flush) written by {@code origin} goes to this
     * subscriber. A flush is never suppressed as an echo: its origin applied nothing locally (a delayed
     * one takes effect later still), so its near copies must go as everyone's.
     */
    boolean wants(byte[] key, long origin) {
        if (key == null) {
            return prefixes.length > 0;
        }
        if (origin != 0 && origin == clientId) {
            return false;
        }
        for (byte[] p : prefixes) {
            if (startsWith(key, p)) {
                return true;
            }
        }
        return false;
    }

    boolean wants(WatchEvent e) {
        return wants(e.key, e.origin);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
