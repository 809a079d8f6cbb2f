package io.memring.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PagePoolTest {
    private static final int PAGE = 64 * 1024;

    @Test
    void acquire_whenAllocationFails_keepsThePageForALaterCall() {
        AtomicInteger failuresLeft = new AtomicInteger(2);
        PagePool pool = new PagePool(2L * PAGE, PAGE, 64, size -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new OutOfMemoryError("Cannot reserve " + size + " bytes of direct buffer memory");
            }
            return ByteBuffer.allocateDirect(size);
        });
        assertThat(pool.acquire()).isZero();
        assertThat(pool.acquire()).isZero();
        assertThat(pool.allocationFailures()).isEqualTo(2);
        assertThat(pool.allocatedPages()).isZero();
        assertThat(pool.freePages()).isEqualTo(2);
        int first = pool.acquire();
        int second = pool.acquire();
        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        assertThat(pool.page(first)).isNotNull().isNotSameAs(pool.page(second));
        assertThat(pool.acquire()).isZero();
        assertThat(pool.allocatedPages()).isEqualTo(2);
    }

    @Test
    void acquire_reusesReleasedPagesBeforeTheLimit() {
        PagePool pool = new PagePool(PAGE, PAGE, 64);
        int page = pool.acquire();
        assertThat(pool.acquire()).isZero();
        pool.release(page);
        assertThat(pool.freePages()).isEqualTo(1);
        assertThat(pool.acquire()).isEqualTo(page);
    }
}
