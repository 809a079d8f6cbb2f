package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.testing.NodeProcess;
import io.memring.testing.RawClient;
import io.memring.testing.StockMemcached;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Small items must survive the first item of a new size, at a small {@code -m}: memcached grants a
 * slab class its first page past the limit and never moves a class's last page. Our node (through
 * {@code bin/memring-server}) and stock memcached get the same writes and must keep the same items.
 */
class SlabFirstPageIT {
    private static final Path LAUNCHER = Path.of("bin", "memring-server");

    /** Runs the scenario on a fresh server pair at {@code -m mb}; returns {memcached's kept count, ours}. */
    private interface Scenario {
        int run(RawClient c) throws IOException;
    }

    private static int[] both(int mb, Scenario scenario, Map<String, Long> ourStats) throws Exception {
        String m = String.valueOf(mb);
        try (StockMemcached memcached = StockMemcached.start("-m", m, "-t", "2");
                NodeProcess node = NodeProcess.launch(LAUNCHER, "-m", m, "-t", "2");
                RawClient theirs = new RawClient(memcached.port);
                RawClient ours = new RawClient(node.port)) {
            int memcachedKept = scenario.run(theirs);
            int nodeKept = scenario.run(ours);
            ourStats.putAll(EvictionIT.stats(ours));
            return new int[] {memcachedKept, nodeKept};
        }
    }

    /** Sets {@code n} keys {@code prefix0..} with a {@code size}-byte value; one round trip. */
    private static void setAll(RawClient c, String prefix, int n, int size) throws IOException {
        StringBuilder b = new StringBuilder();
        String value = "v".repeat(size);
        for (int i = 0; i < n; i++) {
            b.append("set ").append(prefix).append(i).append(" 0 0 ").append(size).append(" noreply\r\n")
                    .append(value).append("\r\n");
        }
        c.roundTrip(b + "mn\r\n", "MN\r\n");
    }

    /** Counts which of {@code prefix0..prefix(n-1)} are still stored, with meta gets. */
    private static int kept(RawClient c, String prefix, int n) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("mg ").append(prefix).append(i).append(" v\r\n");
        }
        String reply = c.roundTrip(b + "mn\r\n", "MN\r\n");
        return reply.split("VA ", -1).length - 1;
    }

    @Test
    void twoMegabytes_oneItemOfEachNewSize_keepsEverySmallItem() throws Exception {
        Map<String, Long> stats = new java.util.HashMap<>();
        int[] kept = both(2, c -> {
            setAll(c, "small", 1000, 10);
            setAll(c, "medium", 1, 200);
            setAll(c, "large", 1, 1000);
            return kept(c, "small", 1000) + kept(c, "medium", 1) + kept(c, "large", 1);
        }, stats);
        System.out.printf("-m 2, 1000 small + 1 medium + 1 large: memcached kept %d, node kept %d%n", kept[0], kept[1]);
        assertThat(kept[1]).isEqualTo(kept[0]).isEqualTo(1002);
        assertThat(stats.get("slabs_moved")).isZero();
        assertThat(stats.get("evictions")).isZero();
    }

    @Test
    void eightMegabytes_manySmallItemClasses_keepEveryItem() throws Exception {
        Map<String, Long> stats = new java.util.HashMap<>();
        int sizes = 12; // 10..~860-byte values: more slab classes than the 8 pages of -m, on both servers
        int perSize = 110;
        int[] kept = both(8, c -> {
            for (int s = 0; s < sizes; s++) {
                setAll(c, "s" + s + "-", perSize, (int) (10 * Math.pow(1.5, s)));
            }
            int total = 0;
            for (int s = 0; s < sizes; s++) {
                total += kept(c, "s" + s + "-", perSize);
            }
            return total;
        }, stats);
        System.out.printf("-m 8, %d sizes x %d items: memcached kept %d, node kept %d%n", sizes, perSize, kept[0], kept[1]);
        assertThat(kept[1]).isEqualTo(kept[0]).isEqualTo(sizes * perSize);
        assertThat(stats.get("slabs_moved")).isZero();
        assertThat(stats.get("evictions")).isZero();
    }
}
