package io.memring.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlabClassesTest {
    @Test
    void classFor_picksSmallestChunkThatFits() {
        SlabClasses c = new SlabClasses(64, 1.25, 1 << 20);
        assertThat(c.chunkSize(0)).isEqualTo(64);
        assertThat(c.classFor(1)).isZero();
        assertThat(c.classFor(64)).isZero();
        assertThat(c.chunkSize(c.classFor(65))).isEqualTo(80);
        assertThat(c.chunkSize(c.classFor(166))).isEqualTo(200);
        assertThat(c.classFor(1 << 20)).isEqualTo(c.count() - 1);
        assertThat(c.classFor((1 << 20) + 1)).isEqualTo(-1);
        for (int i = 1; i < c.count(); i++) {
            assertThat(c.chunkSize(i)).isGreaterThan(c.chunkSize(i - 1)).isEqualTo(c.chunkSize(i) / 8 * 8);
        }
    }
}
