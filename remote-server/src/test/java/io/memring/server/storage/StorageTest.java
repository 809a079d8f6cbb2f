package io.memring.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class StorageTest {
    private static final long MB = 1024 * 1024;
    private final FakeClock clock = new FakeClock();

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.US_ASCII);
    }

    private static StoreStatus set(Storage s, String k, byte[] value) {
        StoreRequest r = new StoreRequest().reset();
        r.key = key(k);
        ByteBuf data = Unpooled.wrappedBuffer(value);
        r.data = data;
        r.dataIndex = 0;
        r.dataLength = value.length;
        return s.store(r);
    }

    private static String get(Storage s, String k) {
        ByteBuf out = Unpooled.buffer();
        boolean hit = s.get(key(k), false, 0, item -> item.copyValue(out));
        return hit ? out.toString(StandardCharsets.ISO_8859_1) : null;
    }

    @Test
    void eviction_underLimit_dropsLeastRecentlyUsedAndKeepsTouchedKey() {
        Storage s = new Storage(StorageConfig.defaults().withMemoryLimit(8 * MB), clock);
        byte[] value = new byte[1000];
        assertThat(set(s, "keep", value)).isEqualTo(StoreStatus.STORED);
        for (int i = 0; i < 100_000; i++) { // ~100 MB through an 8 MB cache
            assertThat(set(s, "k" + i, value)).isEqualTo(StoreStatus.STORED);
            if (i % 500 == 0) {
                assertThat(get(s, "keep")).as("touched key after %d writes", i).isNotNull();
            }
        }
        StorageStats st = s.stats();
        assertThat(st.evictions).isGreaterThan(90_000);
        assertThat(st.totalMalloced).isLessThanOrEqualTo(8 * MB);
        assertThat(st.bytes).isLessThanOrEqualTo(8 * MB);
        assertThat(get(s, "keep")).isNotNull();
        assertThat(get(s, "k0")).isNull();
        assertThat(get(s, "k99999")).isNotNull();
    }

    @Test
    void stats_reportAHashTableMidExpansion_andTheFlushTime() {
        Storage s = new Storage(StorageConfig.defaults().withMemoryLimit(64 * MB), clock);
        assertThat(s.stats().oldestLive).isZero();
        byte[] value = new byte[8];
        boolean sawExpanding = false;
        boolean sawDoneAfter = false;
        for (int i = 0; i < 200_000 && !sawDoneAfter; i++) {
            set(s, "key" + i, value);
            if (i % 64 == 0) {
                long expanding = s.stats().hashExpanding;
                sawDoneAfter = sawExpanding && expanding == 0;
                sawExpanding |= expanding > 0;
            }
        }
        assertThat(sawExpanding).as("some shard was seen mid-expansion").isTrue();
        assertThat(sawDoneAfter).as("and done again afterwards").isTrue();
        clock.advance(5);
        s.flushAll();
        assertThat(s.stats().oldestLive).isEqualTo(clock.now() - 1);
    }

    @Test
    void get_ofAKeyInsideALargerArray_matchesExactlyThatRange() {
        Storage s = new Storage(StorageConfig.defaults(), clock);
        set(s, "bb", "2".getBytes(StandardCharsets.US_ASCII));
        set(s, "b", "1".getBytes(StandardCharsets.US_ASCII));
        byte[] line = key("get a bb b bbb");
        List<String> found = new ArrayList<>();
        for (int[] range : new int[][] {{4, 1}, {6, 2}, {9, 1}, {11, 3}, {6, 1}}) {
            ByteBuf out = Unpooled.buffer();
            boolean hit = s.get(line, range[0], range[1], false, 0, item -> item.copyValue(out));
            found.add(hit ? out.toString(StandardCharsets.US_ASCII) : "-");
        }
        assertThat(found).containsExactly("-", "2", "1", "-", "1");
    }

    @Test
    void allocation_whenAnotherClassHoldsAllPages_getsTheClassesFirstPagePastTheLimit() {
        // as memcached's do_slabs_newslab: taking a page from the small class would evict its items
        Storage s = new Storage(StorageConfig.defaults().withMemoryLimit(4 * MB).withShards(1), clock);
        for (int i = 0; i < 100_000; i++) {
            set(s, "small" + i, new byte[10]);
        }
        assertThat(s.stats().pagesFree).isZero();
        long smallItems = s.stats().currItems;
        assertThat(set(s, "big", new byte[100_000])).isEqualTo(StoreStatus.STORED);
        assertThat(get(s, "big")).hasSize(100_000);
        assertThat(s.stats().slabReassigns).isZero();
        assertThat(s.stats().currItems).isEqualTo(smallItems + 1);
        assertThat(s.stats().totalMalloced).isEqualTo(5 * MB);
    }

    @Test
    void itemLargerThanLimit_isTooLarge() {
        Storage s = new Storage(StorageConfig.defaults(), clock);
        assertThat(set(s, "k", new byte[1024 * 1024])).isEqualTo(StoreStatus.TOO_LARGE);
        assertThat(set(s, "k", new byte[1024 * 1024 - 100])).isEqualTo(StoreStatus.STORED);
    }

    @Test
    void expiry_lazyOnReadAndSweptByCrawler() {
        Storage s = new Storage(StorageConfig.defaults().withShards(1), clock);
        StoreRequest r = new StoreRequest().reset();
        r.key = key("t");
        r.exptime = clock.now() + 5;
        r.data = Unpooled.wrappedBuffer(new byte[] {1});
        r.dataLength = 1;
        s.store(r);
        set(s, "forever", new byte[] {2});
        clock.advance(5);
        assertThat(s.stats().currItems).isEqualTo(2);
        assertThat(s.crawl(0, 0, 1 << 20, null)).isEqualTo(-1);
        assertThat(s.stats().currItems).isEqualTo(1);
        assertThat(s.stats().reclaimed).isEqualTo(1);
        assertThat(get(s, "forever")).isNotNull();
    }

    @Test
    void flushAll_hidesOldItemsButNotNewOnes() {
        Storage s = new Storage(StorageConfig.defaults(), clock);
        set(s, "old", new byte[] {1});
        s.flushAll();
        set(s, "new", new byte[] {2});
        assertThat(get(s, "old")).isNull();
        assertThat(get(s, "new")).isNotNull();
    }

    @Test
    void concurrentIncrements_loseNoUpdate() throws Exception {
        Storage s = new Storage(StorageConfig.defaults(), clock);
        set(s, "counter", key("0"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    ArithmeticRequest r = new ArithmeticRequest();
                    for (int i = 0; i < 10_000; i++) {
                        r.reset();
                        r.key = key("counter");
                        s.arithmetic(r);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(get(s, "counter").trim()).isEqualTo("40000");
    }

    @Test
    void concurrentMixedLoad_keepsIndexConsistent() throws Exception {
        Storage s = new Storage(StorageConfig.defaults().withMemoryLimit(8 * MB), clock);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    for (int i = 0; i < 50_000; i++) {
                        String k = "k" + rnd.nextInt(20_000);
                        switch (rnd.nextInt(4)) {
                            case 0, 1 -> set(s, k, new byte[rnd.nextInt(2000)]);
                            case 2 -> get(s, k);
                            default -> s.delete(key(k));
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long[] visited = {0};
        for (int shard = 0; shard < s.shardCount(); shard++) {
            int b = 0;
            while (b >= 0) {
                b = s.crawl(shard, b, 1024, item -> visited[0]++);
            }
        }
        StorageStats st = s.stats();
        assertThat(visited[0]).isEqualTo(st.currItems);
        // -m, plus the first page of a class that found the limit reached (memcached's bound)
        long classesWithPages = java.util.Arrays.stream(st.pagesPerClass).filter(p -> p > 0).count();
        assertThat(st.totalMalloced).isLessThanOrEqualTo(8 * MB + classesWithPages * MB);
    }
}
