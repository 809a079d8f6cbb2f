package io.memring.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoarseNanosTest {

    @Test
    void neverAheadOfTheSystemClock_neverBackwards_andFollowsIt() {
        long prev = CoarseNanos.now();
        for (int i = 0; i < 10_000; i++) {
            long c = CoarseNanos.now();
            assertThat(c).isGreaterThanOrEqualTo(prev).isLessThanOrEqualTo(System.nanoTime());
            prev = c;
        }
        long mark = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> CoarseNanos.now() >= mark);
    }

    @Test
    void systemClock_advancesWholeSeconds_andIsNeverZero() {
        ServerClock clock = ServerClock.system();
        int start = clock.now();
        assertThat(start).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> clock.now() >= start + 1);
    }
}
