package io.memring.server.storage;

import static io.memring.server.storage.ArithmeticTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A slab class's first page comes from past {@code -m} and a class's last page is never moved, as in
 * memcached: one item of a new size must not cost another class all its items.
 */
class FirstPageTest {
    private static final int MB = 1024 * 1024;
    private final FakeClock clock = new FakeClock();

    private static boolean hit(Storage s, String k) {
        ByteBuf out = Unpooled.buffer();
        return s.get(k.getBytes(StandardCharsets.US_ASCII), false, 0, item -> item.copyValue(out));
    }

    private static int kept(Storage s, String prefix, int n) {
        int kept = 0;
        for (int i = 0; i < n; i++) {
            kept += hit(s, prefix + i) ? 1 : 0;
        }
        return kept;
    }

    @Test
    void twoMegabytes_oneItemOfEachNewSize_keepsAllSmallItems() {
        Storage s = new Storage(StorageConfig.defaults().withMemoryLimit(2 * MB), clock);
        for (int i = 0; i < 1000; i++) {
            assertThat(set(s, "small" + i, "v".repeat(10))).isEqualTo(StoreStatus.STORED);
        }
        assertThat(set(s, "medium", "m".repeat(200))).isEqualTo(StoreStatus.STORED);
        assertThat(set(s, "large", "l".repeat(1000))).isEqualTo(StoreStatus.STORED);

        assertThat(kept(s, "small", 1000)).isEqualTo(1000);
        assertThat(hit(s, "medium")).isTrue();
        assertThat(hit(s, "large")).isTrue();
        StorageStats stats = s.stats();
        assertThat(stats.slabReassigns).isZero();
        assertThat(stats.evictions).isZero();
        // three classes with one page each: one page past the two -m holds
        assertThat(stats.totalMalloced).isEqualTo(3L * MB);
        assertThat(stats.pagesFree).isZero();
    }

    @Test
    void manyClassesInFewPages_eachKeepsItsPageAndItems() {
        Storage s = new Storage(StorageConfig.defaults().withMemoryLimit(8 * MB), clock);
        int classes = 12; // the 12 smallest slab classes (64..~1.1 KB chunks), 8 pages of -m
        int perClass = 100;
        for (int c = 0; c < classes; c++) {
            // header, key (3 to 6 bytes) and value fill the class's chunk but not the one below
            String value = "v".repeat(s.slabClasses().chunkSize(c) - ItemLayout.HEADER_SIZE - 10);
            for (int i = 0; i < perClass; i++) {
                assertThat(set(s, "c" + c + "-" + i, value)).isEqualTo(StoreStatus.STORED);
            }
        }
        StorageStats stats = s.stats();
        long classesWithPages = java.util.Arrays.stream(stats.pagesPerClass).filter(p -> p > 0).count();
        assertThat(classesWithPages).isEqualTo(classes);
        for (int c = 0; c < classes; c++) {
            assertThat(kept(s, "c" + c + "-", perClass)).as("class %d", c).isEqualTo(perClass);
        }
        assertThat(stats.evictions).isZero();
        assertThat(stats.slabReassigns).isZero();
        assertThat(stats.totalMalloced).isEqualTo((long) classes * MB);
    }

    @Test
    void fullMemory_growingClassEvictsItsOwnItems_neverTakesAnotherClassesLastPage() {
        Storage s = new Storage(StorageConfig.defaults().withMemoryLimit(2 * MB), clock);
        for (int i = 0; i < 100; i++) {
            set(s, "small" + i, "v".repeat(10));
        }
        // 10 KB values: far more than two pages' worth
        for (int i = 0; i < 1000; i++) {
            assertThat(set(s, "big" + i, "b".repeat(10_000))).isEqualTo(StoreStatus.STORED);
        }
        assertThat(kept(s, "small", 100)).isEqualTo(100);
        assertThat(hit(s, "big999")).isTrue();
        StorageStats stats = s.stats();
        // every page is accounted for: at most -m's two plus one per class that has pages
        long classesWithPages = java.util.Arrays.stream(stats.pagesPerClass).filter(p -> p > 0).count();
        assertThat(stats.totalMalloced).isLessThanOrEqualTo((2 + classesWithPages) * MB);
        assertThat(stats.evictions).isPositive();
    }

    @Test
    void mover_takesASparePageOnly_leavingTheClassItsLastOne() {
        Storage s = new Storage(StorageConfig.defaults().withMemoryLimit(3 * MB).withShards(1), clock);
        String small = "v".repeat(64 - ItemLayout.HEADER_SIZE - 6); // 64-byte chunks: 16,384 a page
        for (int i = 0; i < 2 * 16_384; i++) {
            assertThat(set(s, String.format("k%05d", i), small)).isEqualTo(StoreStatus.STORED);
        }
        assertThat(set(s, "big", "b".repeat(600_000))).isEqualTo(StoreStatus.STORED); // the third page
        assertThat(s.stats().pagesFree).isZero();

        // the grown value needs a second chunk of big's class while big is still read: a page moves
        assertThat(append(s, "big", "x")).isEqualTo(StoreStatus.STORED);
        StorageStats stats = s.stats();
        assertThat(stats.slabReassigns).isEqualTo(1);
        assertThat(stats.pagesPerClass[0]).isEqualTo(1);
        assertThat(kept(s, "k", 0)).isZero();
        assertThat(hit(s, "k32767")).isTrue(); // the newer page, and its items, stayed

        // now the class has two pages: growing further evicts its own least recently used item
        // rather than taking the small class's last page
        assertThat(set(s, "big2", "c".repeat(600_000))).isEqualTo(StoreStatus.STORED); // big's old chunk
        assertThat(append(s, "big2", "y")).isEqualTo(StoreStatus.STORED);
        assertThat(s.stats().slabReassigns).isEqualTo(1);
        assertThat(s.stats().pagesPerClass[0]).isEqualTo(1);
        assertThat(hit(s, "k32767")).isTrue();
        assertThat(hit(s, "big")).isFalse();
    }

    private static StoreStatus append(Storage s, String k, String v) {
        StoreRequest r = new StoreRequest().reset();
        r.key = k.getBytes(StandardCharsets.US_ASCII);
        r.mode = StoreMode.APPEND;
        byte[] b = v.getBytes(StandardCharsets.US_ASCII);
        r.data = Unpooled.wrappedBuffer(b);
        r.dataLength = b.length;
        return s.store(r);
    }

    @Test
    void pagePool_grantsPagesBeyondTheLimitOnlyUpToTheExtraOnes() {
        PagePool pool = new PagePool(2L * MB, MB, 64, 1);
        assertThat(pool.acquire()).isEqualTo(1);
        assertThat(pool.acquire()).isEqualTo(2);
        assertThat(pool.acquire()).isZero();
        assertThat(pool.acquireBeyondLimit()).isEqualTo(3);
        assertThat(pool.acquireBeyondLimit()).isZero();
        assertThat(pool.acquire()).isZero();
        assertThat(pool.freePages()).isZero();
        assertThat(pool.allocatedPages()).isEqualTo(3);
    }
}
