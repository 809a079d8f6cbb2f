package io.memring.server.cluster;

import io.memring.client.ClientConfig;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -Dmemring.repl.linkVia=host:port=host:port,...}: this node's peer traffic to the member
 * spelled on the left (its replication link and its liveness probes) connects to the address on the
 * right instead (a relay, a proxy, another interface), while ownership, the ring and catch-up pulls
 * keep the member's own address. Unset, everything connects to the member's address. The fault tests
 * put connection-dropping proxies between nodes this way, so peers can be cut off from each other
 * while every node keeps serving clients (a partition without a pause).
 */
final class LinkRoutes {
    static final String PROPERTY = "memring.repl.linkVia";

    private LinkRoutes() {
    }

    static Map<String, InetSocketAddress> fromSystemProperty() {
        return parse(System.getProperty(PROPERTY, ""));
    }

    /** Parses {@code member=via,...}; both sides {@code host:port}. */
    static Map<String, InetSocketAddress> parse(String spec) {
        Map<String, InetSocketAddress> out = new HashMap<>();
        if (spec.isBlank()) {
            return out;
        }
        for (String route : spec.split(",")) {
            String[] sides = route.trim().split("=");
            if (sides.length != 2) {
                throw new IllegalArgumentException("-D" + PROPERTY + ": '" + route + "' is not member=via (host:port=host:port)");
            }
            List<InetSocketAddress> member = ClientConfig.parseServers(sides[0].trim());
            List<InetSocketAddress> via = ClientConfig.parseServers(sides[1].trim());
            out.put(io.memring.client.ketama.RingFingerprint.spelled(member.get(0)), via.get(0));
        }
        return out;
    }
}
