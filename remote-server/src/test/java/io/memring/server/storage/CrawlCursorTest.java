package io.memring.server.storage;

import static io.memring.server.storage.ArithmeticTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** lru_crawler metadump walks a shard in slices; the index may grow between two slices. */
class CrawlCursorTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void crawl_whileTheIndexDoublesBetweenSlices_visitsEveryItemPresentThroughoutExactlyOnce() {
        Storage s = new Storage(StorageConfig.defaults().withShards(1), clock);
        int before = 1_500; // just under the first doubling (1.5 items per bucket of 1024)
        for (int i = 0; i < before; i++) {
            set(s, "k" + i, "v");
        }
        Map<String, Integer> seen = new HashMap<>();
        int cursor = 0;
        int added = 0;
        int slices = 0;
        while (cursor >= 0 && slices < 100_000) {
            cursor = s.crawl(0, cursor, 16, item -> seen.merge(new String(item.key(), StandardCharsets.US_ASCII), 1, Integer::sum));
            slices++;
            for (int i = 0; i < 200 && added < 20_000; i++) { // several doublings during the walk
                set(s, "new" + added++, "v");
            }
        }
        assertThat(cursor).isEqualTo(-1);
        assertThat(s.stats().hashBuckets).isGreaterThanOrEqualTo(8 * 1024);
        assertThat(seen.entrySet()).filteredOn(e -> e.getValue() > 1).isEmpty();
        for (int i = 0; i < before; i++) {
            assertThat(seen).containsKey("k" + i);
        }
    }

    @Test
    void crawl_reclaimsDeadItemsAndCountsWhatItChecked() {
        Storage s = new Storage(StorageConfig.defaults().withShards(1), clock);
        for (int i = 0; i < 10; i++) {
            set(s, "k" + i, "v");
        }
        s.flushAll();
        set(s, "live", "v");
        int[] visited = {0};
        assertThat(s.crawl(0, 0, 1 << 20, item -> visited[0]++)).isEqualTo(-1);
        StorageStats st = s.stats();
        assertThat(visited[0]).isEqualTo(1);
        assertThat(st.currItems).isEqualTo(1);
        assertThat(st.crawlerReclaimed).isEqualTo(10);
        assertThat(st.crawlerItemsChecked).isEqualTo(11);
    }
}
