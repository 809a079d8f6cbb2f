package io.memring.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HybridClockTest {
    private final AtomicLong wall = new AtomicLong(HybridClock.EPOCH_MS + 1_000_000);

    @Test
    void next_isStrictlyIncreasing_evenWhenWallTimeStandsStillOrGoesBack() {
        HybridClock clock = new HybridClock(7, wall::get);
        long last = 0;
        for (int i = 0; i < 50_000; i++) { // more than the 14-bit counter: it carries into the ms field
            if (i == 20_000) {
                wall.addAndGet(-60_000);
            }
            long v = clock.next();
            assertThat(v).isGreaterThan(last);
            last = v;
        }
    }

    @Test
    void nodeId_isInTheLowBits_andTheMillisecondsInTheHighBits() {
        HybridClock clock = new HybridClock(200, wall::get);
        long v = clock.next();
        assertThat(HybridClock.nodeOf(v)).isEqualTo(200);
        assertThat(HybridClock.millisOf(v)).isEqualTo(wall.get());
        assertThat(v).isPositive();
        assertThatThrownBy(() -> new HybridClock(256, wall::get)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void observe_aFutureVersion_movesTheNextLocalVersionPastIt() {
        HybridClock ahead = new HybridClock(9, () -> wall.get() + 5_000);
        HybridClock local = new HybridClock(1, wall::get);
        long peer = ahead.next();
        local.observe(peer);
        long mine = local.next();
        assertThat(mine).isGreaterThan(peer);
        assertThat(HybridClock.nodeOf(mine)).isEqualTo(1);
    }

    @Test
    void observe_aPastVersion_changesNothing() {
        HybridClock local = new HybridClock(1, wall::get);
        long first = local.next();
        local.observe(first - (1L << 30));
        assertThat(local.next()).isGreaterThan(first);
    }

    @Test
    void storage_everyLocalWriteGetsANewerVersionAsItsCas_andAFlushIsAWatermark() {
        HybridClock versions = new HybridClock(3, wall::get);
        Storage storage = new Storage(StorageConfig.defaults().withMemoryLimit(4L << 20), new FakeClock(), versions);
        long a = set(storage, "a", "1");
        long b = set(storage, "b", "2");
        assertThat(b).isGreaterThan(a);
        assertThat(HybridClock.nodeOf(a)).isEqualTo(3);
        storage.flushAll();
        long watermark = storage.flushWatermark();
        assertThat(watermark).isGreaterThan(b);
        assertThat(storage.peek("a".getBytes(), v -> { })).isFalse();
        long c = set(storage, "c", "3");
        assertThat(c).isGreaterThan(watermark);
        assertThat(storage.peek("c".getBytes(), v -> { })).isTrue();
    }

    static long set(Storage storage, String key, String value) {
        byte[] data = value.getBytes();
        StoreRequest r = new StoreRequest().reset();
        r.key = key.getBytes();
        r.withData(io.netty.buffer.Unpooled.wrappedBuffer(data), 0, data.length);
        assertThat(storage.store(r)).isEqualTo(StoreStatus.STORED);
        return r.resultCas;
    }
}
