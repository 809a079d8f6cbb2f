package io.memring.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.storage.StorageConfig;
import org.junit.jupiter.api.Test;

class AdminCommandsTest {

    @Test
    void slabsAutomove_acceptsModes0to2_andRatio() {
        try (EmbeddedNode node = new EmbeddedNode()) {
            assertThat(node.send("slabs automove 0\r\n")).isEqualTo("OK\r\n");
            assertThat(node.stats.slabAutomove).isZero();
            assertThat(node.send("slabs automove 2\r\n")).isEqualTo("OK\r\n");
            assertThat(node.stats.slabAutomove).isEqualTo(2);
            assertThat(node.send("slabs automove 3\r\n")).isEqualTo("ERROR\r\n");
            assertThat(node.send("slabs automove x\r\n")).isEqualTo("CLIENT_ERROR bad command line format\r\n");
            assertThat(node.send("slabs automove -1\r\n")).isEqualTo("CLIENT_ERROR bad command line format\r\n");
            assertThat(node.send("slabs automove 1 noreply\r\n")).isEmpty();
            assertThat(node.stats.slabAutomove).isEqualTo(1);
            assertThat(node.send("slabs automove\r\n")).isEqualTo("ERROR\r\n");
            assertThat(node.send("slabs automove ratio 0.5\r\n")).isEqualTo("OK\r\n");
            assertThat(node.stats.slabAutomoveRatio).isEqualTo(0.5);
            assertThat(node.send("slabs automove ratio 1d\r\n")).isEqualTo("ERROR\r\n");
            assertThat(node.send("stats settings\r\n")).contains("STAT slab_automove 1\r\n", "STAT slab_automove_ratio 0.50\r\n");
        }
    }

    @Test
    void slabsReassign_checksAsMemcached_thenRefusesManualMoves() {
        try (EmbeddedNode node = new EmbeddedNode(StorageConfig.defaults().withShards(1))) {
            assertThat(node.send("slabs reassign 1 1\r\n")).isEqualTo("SAME src and dst class are identical\r\n");
            assertThat(node.send("slabs reassign 1 99\r\n")).isEqualTo("BADCLASS invalid src or dst class id\r\n");
            assertThat(node.send("slabs reassign -1 2\r\n")).isEqualTo("BADCLASS invalid src or dst class id\r\n");
            assertThat(node.send("slabs reassign 1 2\r\n")).isEqualTo("NOSPARE source class has no spare pages\r\n");
            assertThat(node.send("slabs reassign a 2\r\n")).isEqualTo("CLIENT_ERROR bad command line format\r\n");
            String value = "v".repeat(100);
            StringBuilder sets = new StringBuilder();
            for (int i = 0; i < 30_000; i++) {
                sets.append("set k").append(i).append(" 0 0 100 noreply\r\n").append(value).append("\r\n");
            }
            node.send(sets.toString());
            String slabs = node.send("stats slabs\r\n");
            String cls = slabs.substring(5, slabs.indexOf(':'));
            assertThat(node.send("slabs reassign " + cls + " 1\r\n"))
                    .isEqualTo("SERVER_ERROR slab reassign on request is not supported\r\n");
            assertThat(node.send("slabs reassign -1 1\r\n")).startsWith("SERVER_ERROR");
        }
    }

    @Test
    void statsDetailAndSizes_answerAsMemcached() {
        try (EmbeddedNode node = new EmbeddedNode()) {
            assertThat(node.send("stats detail\r\n")).isEqualTo("CLIENT_ERROR usage: stats detail on|off|dump\r\n");
            assertThat(node.send("stats detail on\r\n")).isEqualTo("OK\r\n");
            assertThat(node.send("stats detail dump\r\n")).isEqualTo("END\r\n");
            assertThat(node.send("stats sizes\r\n")).isEqualTo("STAT sizes_status disabled\r\nEND\r\n");
        }
    }

    @Test
    void stats_reportsMemcachedsNewNames() {
        try (EmbeddedNode node = new EmbeddedNode()) {
            assertThat(node.send("stats\r\n")).contains("STAT lru_crawler_running 0\r\n", "STAT listen_disabled_num 0\r\n",
                    "STAT malloc_fails 0\r\n", "STAT connection_structures ", "STAT reserved_fds ",
                    "STAT time_in_listen_disabled_us 0\r\n", "STAT slab_global_page_pool 0\r\n");
            node.stats.listenDisabled.increment();
            node.stats.crawlersRunning.incrementAndGet();
            assertThat(node.send("stats\r\n")).contains("STAT listen_disabled_num 1\r\n", "STAT lru_crawler_running 1\r\n");
            node.send("stats reset\r\n");
            assertThat(node.send("stats\r\n")).contains("STAT listen_disabled_num 0\r\n");
        }
    }

    @Test
    void stats_reportTheCrawlersWork() {
        try (EmbeddedNode node = new EmbeddedNode()) {
            node.send("set live 0 0 1\r\nx\r\nset dying 0 1 1\r\nx\r\n");
            node.clock.advance(5);
            for (int shard = 0; shard < node.storage.shardCount(); shard++) {
                int cursor = 0;
                for (int round = 0; round < 1_000_000 && cursor >= 0; round++) {
                    cursor = node.storage.crawl(shard, cursor, 4096, null);
                }
            }
            assertThat(node.send("stats\r\n")).contains("STAT crawler_items_checked 2\r\n", "STAT crawler_reclaimed 1\r\n",
                    "STAT malloc_fails 0\r\n");
        }
    }
}
