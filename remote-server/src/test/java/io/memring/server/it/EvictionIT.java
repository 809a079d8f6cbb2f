package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.testing.NodeProcess;
import io.memring.testing.RawClient;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node in its own JVM with {@code -m 8}: 200 MB of writes must leave it inside its limit, by its own
 * stats and by the process's resident memory, evicting the least recently used items first.
 */
class EvictionIT {
    private static final long MB = 1024 * 1024;
    /** Exactly the JVM flags bin/memring-server uses for -m 8. */
    private static final List<String> JVM = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx49m", "-XX:MaxDirectMemorySize=327m");

    @Test
    void writing200MbInto8Mb_staysWithinLimit_andEvictsLeastRecentlyUsed() throws Exception {
        try (NodeProcess node = NodeProcess.start(JVM, "-m", "8", "-t", "2")) {
            try (RawClient c = new RawClient(node.port)) {
                String value = "v".repeat(10_000);
                c.roundTrip("set keep 0 0 4\r\nkeep\r\n", "STORED\r\n");
                long rssBefore = NodeProcess.rssBytes(node.pid());
                for (int batch = 0; batch < 200; batch++) {
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < 100; i++) {
                        b.append("set item").append(batch * 100 + i).append(" 0 0 10000 noreply\r\n").append(value).append("\r\n");
                    }
                    // Reading "keep" every 100 writes makes it recently used; it must survive.
                    assertThat(c.roundTrip(b + "get keep\r\n", "END\r\n")).as("batch %d", batch).isEqualTo("VALUE keep 0 4\r\nkeep\r\nEND\r\n");
                }
                long rssGrowth = NodeProcess.rssBytes(node.pid()) - rssBefore;
                Map<String, Long> stats = stats(c);
                assertThat(stats.get("limit_maxbytes")).isEqualTo(8 * MB);
                assertThat(stats.get("bytes")).isLessThanOrEqualTo(8 * MB);
                assertThat(stats.get("total_malloced")).isLessThanOrEqualTo(8 * MB);
                assertThat(stats.get("evictions")).isGreaterThan(19_000);
                // 200 MB went through; the process grew by at most the item limit plus the capped
                // heap (49 MB) and some code/metadata, far below what keeping the items would need.
                assertThat(rssGrowth).as("RSS growth").isLessThan(8 * MB + 49 * MB + 16 * MB);
                assertThat(c.roundTrip("get item0 item19999\r\n", "END\r\n")).startsWith("VALUE item19999 ").doesNotContain("item0 ");
            }
        }
    }

    static Map<String, Long> stats(RawClient c) throws IOException {
        Map<String, Long> stats = new HashMap<>();
        for (String line : c.roundTrip("stats\r\n", "END\r\n").split("\r\n")) {
            String[] parts = line.split(" ");
            if (parts.length == 3 && parts[2].matches("\\d+")) {
                stats.put(parts[1], Long.parseLong(parts[2]));
            }
        }
        return stats;
    }
}
