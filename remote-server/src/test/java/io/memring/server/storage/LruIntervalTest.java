package io.memring.server.storage;

import static io.memring.server.storage.ArithmeticTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hit moves an item to the head of its LRU only if the item was idle for
 * {@link ItemLru#UPDATE_INTERVAL} seconds (memcached's ITEM_UPDATE_INTERVAL); a sooner hit marks it
 * active, which spares it once at the tail. The last access time stays exact either way.
 */
class LruIntervalTest {
    private static final String VALUE = "v".repeat(100);
    private final FakeClock clock = new FakeClock();
    private final Storage s = new Storage(StorageConfig.defaults().withMemoryLimit(2L << 20).withShards(1), clock);
    /** The keys present after the first eviction, least recently linked first (k0 was evicted). */
    private final List<String> keys = new ArrayList<>();

    private void fillUntilTheFirstEviction() {
        for (int i = 0; i < 100_000 && s.stats().evictions == 0; i++) {
            assertThat(set(s, key("k", i), VALUE)).isEqualTo(StoreStatus.STORED);
            keys.add(key("k", i));
        }
        assertThat(s.stats().evictions).isEqualTo(1);
        assertThat(present(key("k", 0))).isFalse();
        keys.remove(0);
    }

    /** Keys of one length, so every item is in one slab class. */
    private static String key(String prefix, int i) {
        return prefix + String.format("%06d", i);
    }

    private boolean hit(String k) {
        return s.get(k.getBytes(StandardCharsets.US_ASCII), false, 0, item -> { });
    }

    private boolean present(String k) {
        return s.peek(k.getBytes(StandardCharsets.US_ASCII), item -> { });
    }

    private long moves() {
        return ClassCounters.sum(s.stats().perClass.movesWithinLru);
    }

    private int lastAccess(String k) {
        int[] time = {-1};
        s.peek(k.getBytes(StandardCharsets.US_ASCII), item -> time[0] = item.lastAccess());
        return time[0];
    }

    @Test
    void hitOnAnItemIdleForTheInterval_movesItToTheHead() {
        fillUntilTheFirstEviction();
        clock.advance(ItemLru.UPDATE_INTERVAL);
        assertThat(hit(keys.get(0))).isTrue();
        assertThat(moves()).isEqualTo(1);

        assertThat(set(s, key("n", 0), VALUE)).isEqualTo(StoreStatus.STORED);
        assertThat(present(keys.get(0))).as("moved to the head").isTrue();
        assertThat(present(keys.get(1))).as("now the least recently used").isFalse();
    }

    @Test
    void hitWithinTheInterval_doesNotRelink_butUpdatesTheAccessTime() {
        fillUntilTheFirstEviction();
        clock.advance(ItemLru.UPDATE_INTERVAL - 1);
        assertThat(hit(keys.get(0))).isTrue();
        assertThat(hit(keys.get(2))).isTrue();
        assertThat(moves()).as("no relink within the interval").isZero();
        assertThat(lastAccess(keys.get(0))).isEqualTo(clock.now());

        clock.advance(ItemLru.UPDATE_INTERVAL - 1);
        assertThat(hit(keys.get(0))).isTrue();
        assertThat(moves()).as("idle counted from the last access, not the store").isZero();
    }

    @Test
    void activeItemsAtTheTail_getASecondChance_inTheOrderTheyWereMet() {
        fillUntilTheFirstEviction();
        hit(keys.get(0));
        hit(keys.get(2));

        set(s, key("n", 1), VALUE); // tail keys[0] is active: relinked at the head, keys[1] evicted
        assertThat(present(keys.get(0))).isTrue();
        assertThat(present(keys.get(1))).isFalse();
        set(s, key("n", 2), VALUE); // tail keys[2] is active: relinked, keys[3] evicted
        assertThat(present(keys.get(2))).isTrue();
        assertThat(present(keys.get(3))).isFalse();

        // The second chance cleared the marks: with no new hit they age out again, oldest first.
        int survivors = keys.size() - 2;
        for (int i = 0; i < survivors - 1; i++) {
            set(s, key("m", i), VALUE);
        }
        assertThat(present(keys.get(0))).as("evicted as the least recently used").isFalse();
        assertThat(present(keys.get(2))).isTrue();
        set(s, key("l", 1), VALUE); // evicts the first new key
        assertThat(present(keys.get(2))).isTrue();
        set(s, key("l", 2), VALUE);
        assertThat(present(keys.get(2))).isFalse();
    }

    @Test
    void whenEveryItemIsActive_anEvictionStillHappens() {
        fillUntilTheFirstEviction();
        for (String k : keys) {
            hit(k);
        }
        assertThat(set(s, key("n", 0), VALUE)).isEqualTo(StoreStatus.STORED);
        assertThat(s.stats().evictions).isEqualTo(2);
        assertThat(present(key("n", 0))).isTrue();
    }
}
