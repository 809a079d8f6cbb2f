package io.memring.server.storage;

import static io.memring.server.storage.ArithmeticTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The memory limit is for data: items well under it are all kept, whatever their sizes and shards. */
class CapacityTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void itemsOfManySizes_farBelowTheLimit_areNotEvicted() {
        // memcached 1.6.18 -m 64 keeps all of these; with pages owned per shard and class we kept 8,712.
        Storage s = new Storage(StorageConfig.defaults(), clock);
        for (int n = 0; n < 20_000; n++) {
            assertThat(set(s, "key" + n, "v".repeat(n % 2000))).isEqualTo(StoreStatus.STORED);
        }
        StorageStats st = s.stats();
        assertThat(st.evictions).isZero();
        assertThat(st.currItems).isEqualTo(20_000);
    }

    @Test
    void keysOfEveryLength_areNotEvicted() {
        Storage s = new Storage(StorageConfig.defaults(), clock);
        for (int n = 1; n <= 250; n++) {
            set(s, "x".repeat(n), "0");
        }
        assertThat(s.stats().evictions).isZero();
        assertThat(s.stats().currItems).isEqualTo(250);
    }

    @Test
    void concurrentLoadOfManySizes_withAppendsAndDeletes_underPressure_keepsEveryValueIntact() throws Exception {
        Storage s = new Storage(StorageConfig.defaults().withMemoryLimit(8L << 20), clock);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    for (int i = 0; i < 20_000; i++) {
                        int k = rnd.nextInt(5_000);
                        String key = "k" + k;
                        // sizes drift over time, so classes keep needing pages from each other
                        int size = (k * 37 + i / 1_000 * 4_001) % 20_000;
                        switch (rnd.nextInt(8)) {
                            case 0, 1 -> {
                                String v = get(s, key);
                                if (v != null) {
                                    assertThat(v).matches("(" + key + "\\.)*[.]*");
                                }
                            }
                            case 2 -> append(s, key, ".".repeat(rnd.nextInt(3_000))); // pins the old value
                            case 3 -> s.delete(key.getBytes(StandardCharsets.US_ASCII));
                            default -> set(s, key, pattern(key, size));
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long[] visited = {0};
        long[] bytes = {0};
        for (int shard = 0; shard < s.shardCount(); shard++) {
            int cursor = 0;
            while (cursor >= 0) {
                cursor = s.crawl(shard, cursor, 1024, item -> {
                    visited[0]++;
                    bytes[0] += item.totalSize();
                });
            }
        }
        StorageStats st = s.stats();
        assertThat(visited[0]).isEqualTo(st.currItems);
        assertThat(bytes[0]).isEqualTo(st.bytes);
        long used = 0;
        for (int c = 0; c < st.pagesPerClass.length; c++) {
            used += st.pagesPerClass[c] * s.slabClasses().chunksPerPage(c) - st.freeChunksPerClass[c];
        }
        assertThat(used).isEqualTo(st.currItems); // no chunk lost or double-counted
        // -m, plus the first page of a class that found the limit reached (memcached's bound)
        long classesWithPages = java.util.Arrays.stream(st.pagesPerClass).filter(p -> p > 0).count();
        assertThat(st.totalMalloced).isLessThanOrEqualTo((8L + classesWithPages) << 20);
        // Under pressure each class evicts its own items: pages move only from a class holding two or
        // more to one with nothing left to evict (FirstPageTest), which this load rarely produces.
        assertThat(st.evictions).isPositive();
    }

    private static void append(Storage s, String k, String v) {
        StoreRequest r = new StoreRequest().reset();
        r.mode = StoreMode.APPEND;
        r.key = k.getBytes(StandardCharsets.US_ASCII);
        r.data = Unpooled.copiedBuffer(v, StandardCharsets.US_ASCII);
        r.dataLength = v.length();
        s.store(r);
    }

    /** The key and a dot, repeated, padded with dots to {@code size}: any mix-up shows. */
    private static String pattern(String key, int size) {
        StringBuilder sb = new StringBuilder(size);
        while (sb.length() + key.length() + 1 <= size) {
            sb.append(key).append('.');
        }
        while (sb.length() < size) {
            sb.append('.');
        }
        return sb.toString();
    }

    private static String get(Storage s, String k) {
        ByteBuf out = Unpooled.buffer();
        boolean hit = s.get(k.getBytes(StandardCharsets.US_ASCII), false, 0, item -> item.copyValue(out));
        return hit ? out.toString(StandardCharsets.ISO_8859_1) : null;
    }
}
