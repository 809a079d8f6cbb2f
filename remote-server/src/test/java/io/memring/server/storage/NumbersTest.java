package io.memring.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NumbersTest {
    private static long u64(String s) {
        return Numbers.parseUnsignedDecimal(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void parseUnsignedDecimal_acceptsWhatStrtoullAccepts() {
        assertThat(u64("0")).isZero();
        assertThat(u64("  42")).isEqualTo(42);
        assertThat(u64("+7")).isEqualTo(7);
        assertThat(u64("12 ")).isEqualTo(12);
        assertThat(u64("18446744073709551615")).isEqualTo(-1L);
        assertThat(u64("-0")).isZero();
    }

    @Test
    void parseUnsignedDecimal_refusesWhatMemcachedRefuses() {
        for (String bad : new String[] {"", " ", "abc", "12abc", "18446744073709551616", "-1", "-18446744073709551615x"}) {
            assertThatThrownBy(() -> u64(bad)).as(bad).isInstanceOf(NumberFormatException.class);
        }
    }

    @Test
    void parseInt32_refusesOutOfRange() {
        byte[] big = "4294967297".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Numbers.parseInt32(big, 0, big.length)).isInstanceOf(NumberFormatException.class);
        byte[] neg = "-2147483648".getBytes(StandardCharsets.US_ASCII);
        assertThat(Numbers.parseInt32(neg, 0, neg.length)).isEqualTo(Integer.MIN_VALUE);
        for (String bad : new String[] {"-", "--5", "- 5", "-2147483649", "2147483648", "1x"}) {
            byte[] b = bad.getBytes(StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> Numbers.parseInt32(b, 0, b.length)).as(bad).isInstanceOf(NumberFormatException.class);
        }
        byte[] ok = " -5".getBytes(StandardCharsets.US_ASCII);
        assertThat(Numbers.parseInt32(ok, 0, ok.length)).isEqualTo(-5);
    }

    @Test
    void relativeExpiry_followsMemcachedRealtime() {
        FakeClock clock = new FakeClock();
        assertThat(clock.toRelativeExpiry(0)).isZero();
        assertThat(clock.toRelativeExpiry(10)).isEqualTo(clock.now() + 10);
        assertThat(clock.toRelativeExpiry(-1)).isEqualTo(1);
        assertThat(clock.toRelativeExpiry(clock.processStarted() + 100)).isEqualTo(100);
        assertThat(clock.toRelativeExpiry(ServerClock.REALTIME_MAXDELTA + 1)).isEqualTo(1);
    }
}
