package io.memring.samples.spring;

import io.memring.integration.Cluster;
import io.memring.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the test's own nodes hold, read over their sockets ({@code lru_crawler metadump all}), so a
 * provider that silently used an embedded node instead of the cluster fails the test.
 */
final class RingContents {
    private RingContents() {
    }

    /** Returns every key on every node of {@code cluster} (bytes as ISO-8859-1 text). */
    static List<String> keys(Cluster cluster) throws IOException {
        List<String> keys = new ArrayList<>();
        for (InetSocketAddress node : cluster.servers()) {
            try (RawClient raw = new RawClient(node.getPort())) {
                String dump = raw.roundTrip("lru_crawler metadump all\r\n", "END\r\n");
                if (!dump.endsWith("END\r\n")) {
                    throw new IOException("incomplete metadump from " + node + ": " + dump);
                }
                for (String line : dump.split("\r?\n")) { // memcached ends metadump lines with \n alone
                    if (line.startsWith("key=")) {
                        keys.add(uriDecode(line.substring(4, line.indexOf(' '))));
                    }
                }
            }
        }
        return keys;
    }

    /** Returns how many keys of the named JCache cache are on the cluster. */
    static long keysOfCache(Cluster cluster, String cacheName) throws IOException {
        String prefix = "jc:" + URLEncoder.encode(cacheName, StandardCharsets.UTF_8) + ":";
        return keys(cluster).stream().filter(k -> k.startsWith(prefix)).count();
    }

    private static String uriDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
