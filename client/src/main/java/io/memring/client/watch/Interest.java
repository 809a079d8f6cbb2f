package io.memring.client.watch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * The union of a client's live subscriptions, as one {@code mr_watch} line: prefixes (none covered
 * by another), values if any subscription wants them, and a generation that grows with every change.
 * A union that would not fit the node's limits (64 prefixes, a 2 KB line here) is widened to shorter
 * prefixes: the node then sends more, and each subscription still sees only its own prefix.
 */
record Interest(long generation, List<byte[]> prefixes, boolean values) {
    static final int MAX_PREFIXES = 64;
    static final int MAX_LINE = 2000;

    /**
     * Returns the union of {@code wanted} as prefixes the node takes: at most {@value #MAX_PREFIXES}, the
     * line at most {@value #MAX_LINE} characters. Each wanted prefix stays covered by one of them.
     *
     * @throws IllegalArgumentException if no such set exists: the wanted prefixes start with more than
     *     {@value #MAX_PREFIXES} distinct bytes (the node takes no empty prefix, which would cover them all)
     */
    static Interest of(long generation, List<byte[]> wanted, boolean values, long clientId) {
        List<byte[]> prefixes = minimal(wanted);
        for (int cut = 64; !fits(prefixes, clientId, values) && cut > 0; cut /= 2) {
            List<byte[]> shorter = new ArrayList<>();
            for (byte[] p : prefixes) {
                shorter.add(p.length > cut ? Arrays.copyOf(p, cut) : p);
            }
            prefixes = minimal(shorter);
        }
        if (!fits(prefixes, clientId, values)) {
            // cut to one byte each and still too many: the node would refuse the line, and the client
            // would reconnect forever
            throw new IllegalArgumentException("the watched prefixes start with " + prefixes.size()
                    + " distinct bytes; a node takes at most " + MAX_PREFIXES + " prefixes");
        }
        return new Interest(generation, List.copyOf(prefixes), values);
    }

    private static boolean fits(List<byte[]> prefixes, long clientId, boolean values) {
        return prefixes.size() <= MAX_PREFIXES && line(prefixes, clientId, values).length() <= MAX_LINE;
    }

    /** Drops prefixes that another one covers (and duplicates). */
    private static List<byte[]> minimal(List<byte[]> wanted) {
        List<byte[]> sorted = new ArrayList<>(wanted);
        sorted.sort(Comparator.comparingInt((byte[] p) -> p.length));
        List<byte[]> out = new ArrayList<>();
        for (byte[] p : sorted) {
            boolean covered = false;
            for (byte[] q : out) {
                if (startsWith(p, q)) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                out.add(p);
            }
        }
        return out;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
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

    /** Returns the {@code mr_watch} line for this interest, CRLF included. */
    String line(long clientId) {
        return line(prefixes, clientId, values);
    }

    private static String line(List<byte[]> prefixes, long clientId, boolean values) {
        StringBuilder b = new StringBuilder("mr_watch ").append(String.format("%016x", clientId))
                .append(values ? " values" : " keys");
        for (byte[] p : prefixes) {
            b.append(' ').append(Base64.getEncoder().encodeToString(p));
        }
        return b.append("\r\n").toString();
    }

    byte[] lineBytes(long clientId) {
        return line(clientId).getBytes(StandardCharsets.US_ASCII);
    }
}
