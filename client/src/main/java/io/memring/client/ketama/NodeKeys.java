package io.memring.client.ketama;

import java.net.InetSocketAddress;

/**
 * The name spymemcached gives a node on the ring: {@code InetSocketAddress.toString()} without its
 * leading "/", i.e. "10.0.1.1:11211" for an IP literal and "host/10.0.1.1:11211" for a host name.
 * Using the same names is what keeps existing spymemcached users' keys where they are.
 */
public final class NodeKeys {
    private NodeKeys() {
    }

    public static String spymemcached(InetSocketAddress address) {
        String s = String.valueOf(address);
        return s.startsWith("/") ? s.substring(1) : s;
    }
}
