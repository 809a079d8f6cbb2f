package io.memring.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ItemSizeTest {
    private static final long MB = 1024 * 1024;

    @Test
    void parse_readsAsMemcachedsAtoiWithUnits() {
        assertThat(ItemSize.parse("512k")).isEqualTo(512 * 1024);
        assertThat(ItemSize.parse("2M")).isEqualTo(2 * MB);
        assertThat(ItemSize.parse("1.5m")).isEqualTo(MB); // atoi stops at the dot
        assertThat(ItemSize.parse("4096")).isEqualTo(4096);
        assertThat(ItemSize.parse("5X")).isEqualTo(5);
        assertThat(ItemSize.parse("abc")).isZero();
        assertThat(ItemSize.parse("")).isZero();
        assertThat(ItemSize.parse("2048m")).as("32-bit wrap, as memcached").isNegative();
        assertThat(ItemSize.parse("1g")).isEqualTo(1024 * MB);
        assertThat(ItemSize.parse("2g")).isEqualTo(2048 * MB);
    }

    @Test
    void check_refusesWithMemcachedsWords() {
        assertThatThrownBy(() -> ItemSize.check(1023, 64 * MB, (int) MB)).isInstanceOf(UsageError.class)
                .hasMessage("Item max size cannot be less than 1024 bytes.");
        assertThatThrownBy(() -> ItemSize.check(1025 * MB, 8192 * MB, (int) MB))
                .hasMessage("Cannot set item size limit higher than a gigabyte.");
        assertThatThrownBy(() -> ItemSize.check(MB, 0, (int) MB)).hasMessage("Cannot set item size limit higher than memory max.");
        assertThat(ItemSize.check(1024, MB, (int) MB)).isEqualTo(1024);
        assertThat(ItemSize.check(1024 * MB, 1024 * MB, (int) MB)).isEqualTo(1024 * (int) MB);
    }
}
