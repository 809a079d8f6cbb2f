package io.memring.server.security;

import java.util.ArrayList;
import java.util.List;

/**
 * One address the node listens on, memcached's {@code -l} entry: {@code [notls:]host[:port]}, IPv6 as
 * {@code [addr]:port} (a bare IPv6 address takes the default port). With {@code -Z} every listener speaks TLS
 * except those prefixed {@code notls:}; without it the prefix changes nothing.
 *
 * @param host address to bind
 * @param port TCP port (0: an ephemeral one)
 * @param notls the entry was prefixed {@code notls:}
 */
public record Listener(String host, int port, boolean notls) {
    public static final String NOTLS = "notls:";

    public Listener {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("empty listen address");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses a comma-separated {@code -l} value; entries without a port use {@code defaultPort}. */
    public static List<Listener> parseAll(String spec, int defaultPort) {
        List<Listener> out = new ArrayList<>();
        for (String entry : spec.split(",")) {
            if (!entry.isBlank()) {
                out.add(parse(entry.trim(), defaultPort));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no listen address in \"" + spec + "\"");
        }
        return out;
    }

    /** Parses one {@code -l} entry. */
    public static Listener parse(String entry, int defaultPort) {
        boolean notls = entry.startsWith(NOTLS);
        String rest = notls ? entry.substring(NOTLS.length()) : entry;
        String host = rest;
        int port = defaultPort;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unterminated [ in listen address " + entry);
            }
            host = rest.substring(1, close);
            String tail = rest.substring(close + 1);
            if (tail.startsWith(":")) {
                port = port(tail.substring(1), entry);
            } else if (!tail.isEmpty()) {
                throw new IllegalArgumentException("bad listen address " + entry);
            }
        } else if (rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':')) {
            int colon = rest.indexOf(':');
            host = rest.substring(0, colon);
            port = port(rest.substring(colon + 1), entry);
        }
        return new Listener(host, port, notls);
    }

    private static int port(String s, String entry) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad port in listen address " + entry);
    }

    /** Returns whether this listener speaks TLS when the node has TLS settings. */
    public boolean tls(boolean tlsEnabled) {
        return tlsEnabled && !notls;
    }
}
