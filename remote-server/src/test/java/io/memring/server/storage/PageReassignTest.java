package io.memring.server.storage;

import static io.memring.server.storage.ArithmeticTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Allocations that reassign a page must never touch the item the operation is still reading. */
class PageReassignTest {
    private static final int MB = 1024 * 1024;
    private final FakeClock clock = new FakeClock();

    private static String get(Storage s, String k) {
        ByteBuf out = Unpooled.buffer();
        boolean hit = s.get(k.getBytes(StandardCharsets.US_ASCII), false, 0, item -> item.copyValue(out));
        return hit ? out.toString(StandardCharsets.ISO_8859_1) : null;
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
    void append_afterTheOnlyPageFilledWithSmallItems_doesNotReadAReassignedChunk() {
        Storage s = new Storage(StorageConfig.defaults().withMemoryLimit(MB).withShards(1), clock);
        String last = null;
        for (int i = 0; i < 16_384; i++) { // 64-byte chunks: exactly one page
            last = String.format("k%05d", i);
            assertThat(set(s, last, "v".repeat(64 - 43 - 6))).isEqualTo(StoreStatus.STORED);
        }
        assertThat(append(s, last, "x".repeat(100))).isIn(StoreStatus.STORED, StoreStatus.NO_MEMORY);
        assertThat(get(s, last)).startsWith("v".repeat(64 - 43 - 6));
    }

    @Test
    void append_whenAnotherPageCanBeReassigned_growsTheItem() {
        Storage s = new Storage(StorageConfig.defaults().withMemoryLimit(2 * MB).withShards(1), clock);
        assertThat(set(s, "big", "b".repeat(600_000))).isEqualTo(StoreStatus.STORED);
        String last = null;
        for (int i = 0; i < 16_384; i++) {
            last = String.format("k%05d", i);
            set(s, last, "v".repeat(64 - 43 - 6));
        }
        assertThat(append(s, last, "x".repeat(100))).isEqualTo(StoreStatus.STORED);
        assertThat(get(s, last)).isEqualTo("v".repeat(64 - 43 - 6) + "x".repeat(100));
    }
}
