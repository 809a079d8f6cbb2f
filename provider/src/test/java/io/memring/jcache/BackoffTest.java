package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void ceiling_firstRetryImmediate_thenDoublesUpToTheCap() {
        assertThat(Backoff.ceilingNanos(1)).isZero();
        assertThat(Backoff.ceilingNanos(2)).isEqualTo(Backoff.BASE_NANOS);
        assertThat(Backoff.ceilingNanos(3)).isEqualTo(2 * Backoff.BASE_NANOS);
        for (int retry = 2; retry < KeyTransactions.MAX_ATTEMPTS; retry++) {
            assertThat(Backoff.ceilingNanos(retry + 1)).isGreaterThanOrEqualTo(Backoff.ceilingNanos(retry));
            assertThat(Backoff.ceilingNanos(retry)).isLessThanOrEqualTo(Backoff.CAP_NANOS);
        }
        assertThat(Backoff.ceilingNanos(Integer.MAX_VALUE)).isEqualTo(Backoff.CAP_NANOS);
    }

    @Test
    void allRetriesOfOneOperation_waitAtMostASecond() {
        long total = 0;
        for (int retry = 1; retry < KeyTransactions.MAX_ATTEMPTS; retry++) {
            total += Backoff.ceilingNanos(retry);
        }
        assertThat(total).isLessThan(1_000_000_000L);
    }
}
