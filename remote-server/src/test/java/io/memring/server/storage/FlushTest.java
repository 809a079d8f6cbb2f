package io.memring.server.storage;

import static io.memring.server.storage.ArithmeticTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** flush_all as memcached: one pending flush time, replaced by every later flush_all. */
class FlushTest {
    private final FakeClock clock = new FakeClock();
    private final Storage s = new Storage(StorageConfig.defaults(), clock);

    private String get(String k) {
        ByteBuf out = Unpooled.buffer();
        boolean hit = s.get(k.getBytes(StandardCharsets.US_ASCII), false, 0, item -> item.copyValue(out));
        return hit ? out.toString(StandardCharsets.ISO_8859_1) : null;
    }

    @Test
    void delayedFlush_removesItemsOnlyOnceItsTimeComes() {
        set(s, "a", "1");
        s.flushAll(10);
        clock.advance(8);
        assertThat(get("a")).isEqualTo("1");
        clock.advance(2);
        assertThat(get("a")).isNull();
        set(s, "b", "2");
        assertThat(get("b")).isEqualTo("2");
    }

    @Test
    void flushNow_cancelsAnEarlierDelayedFlush() {
        s.flushAll(10);
        s.flushAll(0);
        set(s, "written-after", "1");
        clock.advance(20);
        assertThat(get("written-after")).isEqualTo("1");
    }

    @Test
    void flushNow_itemsWrittenInTheSameSecondAfterIt_survive() {
        set(s, "before", "1");
        s.flushAll(0);
        set(s, "after", "2");
        assertThat(get("before")).isNull();
        assertThat(get("after")).isEqualTo("2");
    }

    @Test
    void delayOverThirtyDays_isAUnixTime() {
        set(s, "a", "1");
        long unixNow = clock.processStarted() + clock.now();
        s.flushAll(unixNow + 5);
        clock.advance(3);
        assertThat(get("a")).isEqualTo("1");
        clock.advance(2);
        assertThat(get("a")).isNull();
    }

    @Test
    void manyDelayedFlushes_keepOnePendingTime() {
        set(s, "a", "1");
        for (int i = 0; i < 1_000_000; i++) {
            s.flushAll(2_000_000);
        }
        s.flushAll(5);
        clock.advance(5);
        assertThat(get("a")).isNull();
    }
}
