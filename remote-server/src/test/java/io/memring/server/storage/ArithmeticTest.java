package io.memring.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArithmeticTest {
    private final FakeClock clock = new FakeClock();

    static StoreStatus set(Storage s, String k, String value) {
        StoreRequest r = new StoreRequest().reset();
        r.key = k.getBytes(StandardCharsets.US_ASCII);
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        r.data = Unpooled.wrappedBuffer(v);
        r.dataLength = v.length;
        return s.store(r);
    }

    static ArithmeticRequest incr(Storage s, String k, long delta, boolean up) {
        ArithmeticRequest r = new ArithmeticRequest().reset();
        r.key = k.getBytes(StandardCharsets.US_ASCII);
        r.delta = delta;
        r.incr = up;
        r.value = -1;
        StoreStatus st = s.arithmetic(r);
        r.created = st == StoreStatus.STORED; // reuse as "hit" marker for the test
        return r;
    }

    @Test
    void incr_afterFlushAllAndSetAgain_findsTheLiveItem() {
        Storage s = new Storage(StorageConfig.defaults(), clock);
        for (int n = 1; n <= 250; n++) {
            set(s, "x".repeat(n), "0");
        }
        s.flushAll();
        for (int n = 1; n <= 250; n++) {
            assertThat(set(s, "x".repeat(n), "0")).isEqualTo(StoreStatus.STORED);
            ArithmeticRequest r = incr(s, "x".repeat(n), 10, true);
            assertThat(r.created).as("incr on key of length %d", n).isTrue();
            assertThat(r.value).isEqualTo(10);
        }
    }

    @Test
    void incr_deltaAtLeast2To63_wrapsAt2To64() {
        Storage s = new Storage(StorageConfig.defaults(), clock);
        set(s, "k", "10");
        ArithmeticRequest r = incr(s, "k", Long.parseUnsignedLong("18446744073709551610"), true);
        assertThat(r.created).isTrue();
        assertThat(Long.toUnsignedString(r.value)).isEqualTo("4");
    }

    @Test
    void incr_whoseResultNeedsAClassWithoutPage_getsItsFirstPagePastTheLimit() {
        // One page, owned by the counter's class; the longer result needs another class, which gets
        // its first page past -m as in memcached (before, this had to take the counter's own page).
        Storage s = new Storage(StorageConfig.defaults().withMemoryLimit(1024 * 1024).withShards(1), clock);
        assertThat(set(s, "counter", "9")).isEqualTo(StoreStatus.STORED);
        ArithmeticRequest r = new ArithmeticRequest().reset();
        r.key = "counter".getBytes(StandardCharsets.US_ASCII);
        r.delta = Long.parseUnsignedLong("18446744073709551606");
        assertThat(s.arithmetic(r)).isEqualTo(StoreStatus.STORED);
        assertThat(Long.toUnsignedString(r.value)).isEqualTo("18446744073709551615");
        assertThat(incr(s, "counter", 1, true).value).isZero();
        assertThat(s.stats().slabReassigns).isZero();
    }

    @Test
    void incrAndDecr_deltaAtLeast2To63_onAnItemThatMustGrow() {
        Storage s = new Storage(StorageConfig.defaults(), clock);
        set(s, "k", "0");
        assertThat(Long.toUnsignedString(incr(s, "k", Long.parseUnsignedLong("18446744073709551610"), true).value))
                .isEqualTo("18446744073709551610");
        assertThat(Long.toUnsignedString(incr(s, "k", Long.parseUnsignedLong("9223372036854775808"), false).value))
                .isEqualTo("9223372036854775802");
        assertThat(incr(s, "k", -1L, false).value).isZero();
    }
}
