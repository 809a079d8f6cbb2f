package io.memring.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Values go in and out of pages through the ByteBuf's own NIO view when it has exactly one, and
 * through a slice otherwise: every kind of buffer must see the same bytes at the right offsets.
 */
class ValueCopyTest {
    private final Storage storage = new Storage(StorageConfig.defaults().withMemoryLimit(4L << 20), new FakeClock());

    private StoreStatus store(String key, ByteBuf data, int index, int length, StoreMode mode) {
        StoreRequest r = new StoreRequest().reset();
        r.key = key.getBytes(StandardCharsets.US_ASCII);
        r.data = data;
        r.dataIndex = index;
        r.dataLength = length;
        r.mode = mode;
        return storage.store(r);
    }

    private String read(String key, ByteBuf out) {
        boolean hit = storage.get(key.getBytes(StandardCharsets.US_ASCII), false, 0, item -> item.copyValue(out));
        assertThat(hit).isTrue();
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static ByteBuf composite(String a, String b) {
        CompositeByteBuf c = Unpooled.compositeBuffer();
        c.addComponent(true, Unpooled.copiedBuffer(a, StandardCharsets.US_ASCII));
        c.addComponent(true, Unpooled.copiedBuffer(b, StandardCharsets.US_ASCII));
        return c;
    }

    @Test
    void store_fromEveryBufferKind_readsBackTheSameBytes() {
        String value = "0123456789abcdefghij";
        java.util.Map<String, Supplier<ByteBuf>> sources = java.util.Map.of(
                "heap", () -> Unpooled.copiedBuffer("xx" + value + "yy", StandardCharsets.US_ASCII),
                "direct", () -> Unpooled.directBuffer().writeBytes(("xx" + value + "yy").getBytes(StandardCharsets.US_ASCII)),
                "pooled", () -> ByteBufAllocator.DEFAULT.directBuffer().writeBytes(("xx" + value + "yy").getBytes(StandardCharsets.US_ASCII)),
                "composite", () -> composite("xx0123456789", "abcdefghijyy"));
        sources.forEach((name, source) -> {
            ByteBuf data = source.get();
            try {
                assertThat(store("k-" + name, data, 2, value.length(), StoreMode.SET)).as(name).isEqualTo(StoreStatus.STORED);
                assertThat(data.readerIndex()).as("%s source not consumed", name).isZero();
            } finally {
                data.release();
            }
        });
        sources.keySet().forEach(name -> assertThat(read("k-" + name, Unpooled.buffer())).as(name).isEqualTo(value));
    }

    @Test
    void get_intoEveryBufferKind_appendsAfterWhatIsAlreadyThere() {
        ByteBuf data = Unpooled.copiedBuffer("value", StandardCharsets.US_ASCII);
        store("k", data, 0, 5, StoreMode.SET);
        ByteBuf pooled = ByteBufAllocator.DEFAULT.directBuffer(2); // must grow
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.copiedBuffer("VA", StandardCharsets.US_ASCII));
        composite.addComponent(true, Unpooled.copiedBuffer("LUE ", StandardCharsets.US_ASCII));
        try {
            assertThat(read("k", Unpooled.buffer().writeBytes("VALUE ".getBytes(StandardCharsets.US_ASCII)))).isEqualTo("VALUE value");
            assertThat(read("k", Unpooled.directBuffer().writeBytes("VALUE ".getBytes(StandardCharsets.US_ASCII)))).isEqualTo("VALUE value");
            assertThat(read("k", pooled.writeBytes("VALUE ".getBytes(StandardCharsets.US_ASCII)))).isEqualTo("VALUE value");
            assertThat(read("k", composite)).isEqualTo("VALUE value");
        } finally {
            pooled.release();
            composite.release();
        }
    }

    @Test
    void store_rangeBeyondTheSourceBuffer_throwsInsteadOfCopyingForeignMemory() {
        ByteBuf data = Unpooled.directBuffer(8, 8).writeBytes(new byte[8]);
        try {
            assertThatThrownBy(() -> store("k", data, 4, 100, StoreMode.SET))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        } finally {
            data.release();
        }
    }

    @Test
    void appendAndPrepend_copyBetweenItems_keepBothParts() {
        store("k", Unpooled.copiedBuffer("middle", StandardCharsets.US_ASCII), 0, 6, StoreMode.SET);
        store("k", Unpooled.copiedBuffer("-end", StandardCharsets.US_ASCII), 0, 4, StoreMode.APPEND);
        store("k", Unpooled.copiedBuffer("start-", StandardCharsets.US_ASCII), 0, 6, StoreMode.PREPEND);
        assertThat(read("k", Unpooled.buffer())).isEqualTo("start-middle-end");
    }
}
