package io.memring.client.ketama;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * A short, stable name for a ring's member list: the first 8 bytes of the MD5 of the members'
 * {@code host:port} (as spelled, in order, comma-joined), in hex. Nodes show it in {@code stats
 * ring_fingerprint}; a client computes it from its own server list and warns when a node's differs.
 * Order counts: two lists in different orders place keys the same but are spelled differently, and
 * that is exactly the kind of configuration drift worth a warning.
 */
public final class RingFingerprint {
    private RingFingerprint() {
    }

    /** Returns the fingerprint of members spelled {@code host:port}. */
    public static String of(List<String> members) {
        byte[] digest = KetamaHash.md5(String.join(",", members).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    /** Returns the fingerprint of a client's server list (host as given, without resolving it again). */
    public static String ofAddresses(List<InetSocketAddress> servers) {
        return of(servers.stream().map(RingFingerprint::spelled).toList());
    }

    /** Returns {@code host:port} with the host as it was given ({@code [v6]:port} for IPv6 literals). */
    public static String spelled(InetSocketAddress a) {
        String host = a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
