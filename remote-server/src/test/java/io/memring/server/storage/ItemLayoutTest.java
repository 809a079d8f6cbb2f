package io.memring.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ItemLayoutTest {
    private final PagePool pool = new PagePool(64L << 20, 1 << 20, 64);
    private final ItemLayout mem = new ItemLayout(pool);
    private final SlabAllocator slabs = new SlabAllocator(pool, new SlabClasses(64, 1.25, 1 << 20), mem);

    private int item(byte[] key) {
        int c = slabs.classFor(ItemLayout.totalSize(key.length, 8));
        int h = slabs.take(c);
        mem.init(h, c, key, Storage.hash(key), 7, 0, 8, 1, 0);
        return h;
    }

    @Test
    void rawAccessIsInUse() {
        assertThat(ItemLayout.RAW).as("sun.misc.Unsafe available on the build JVM").isTrue();
    }

    @Test
    void keyEquals_everyLengthAndEveryDifferingByte_atAnOffsetInTheSource() {
        for (int len = 1; len <= 250; len += (len < 20 ? 1 : 13)) {
            byte[] key = new byte[len];
            for (int i = 0; i < len; i++) {
                key[i] = (byte) ('a' + (i * 7 + len) % 26);
            }
            int h = item(key);
            byte[] src = new byte[len + 5];
            System.arraycopy(key, 0, src, 3, len);
            assertThat(mem.keyEquals(h, src, 3, len)).as("len %d", len).isTrue();
            assertThat(mem.keyEquals(h, src, 3, len - 1)).isFalse();
            for (int i = 0; i < len; i++) {
                src[3 + i] ^= 0x20;
                assertThat(mem.keyEquals(h, src, 3, len)).as("len %d, byte %d differs", len, i).isFalse();
                src[3 + i] ^= 0x20;
            }
            assertThat(mem.key(h)).isEqualTo(key);
            assertThat(mem.getInt(h, ItemLayout.CLIENT_FLAGS)).isEqualTo(7);
            assertThat(mem.valueLength(h)).isEqualTo(8);
        }
    }

    @Test
    void keyEquals_sourceRangeOutsideTheArray_throwsInsteadOfReadingPastIt() {
        byte[] key = "0123456789".getBytes();
        int h = item(key);
        assertThatThrownBy(() -> mem.keyEquals(h, key, 4, 10)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void access_toAChunkOutsideItsPage_throws() {
        int h = item(new byte[200]); // chunks over 64 bytes: one past the last still fits the index bits
        int page = pool.pageOf(h);
        int beyond = pool.handle(page, (1 << 20) / pool.chunkSize(page)); // one chunk past the page's last
        assertThatThrownBy(() -> mem.getInt(beyond, ItemLayout.HASH)).isInstanceOf(IndexOutOfBoundsException.class);
        int unallocated = pool.handle(pool.allocatedPages() + 1, 0);
        assertThatThrownBy(() -> mem.getInt(unallocated, ItemLayout.HASH)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
