package io.memring.client.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.RequestTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeHealthTest {
    private long now = 1_000_000_000L;
    private final NodeHealth health = new NodeHealth("n", 3, Duration.ofSeconds(10), () -> now);

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            health.onFailure(new RequestTimeoutException("timeout"));
        }
    }

    private void advance(Duration d) {
        now += d.toNanos();
    }

    @Test
    void consecutiveFailures_markDown_atTheThreshold() {
        fail(2);
        assertThat(health.isUp()).isTrue();
        health.onSuccess(); // resets the count while up
        fail(2);
        assertThat(health.isUp()).isTrue();
        fail(1);
        assertThat(health.isUp()).isFalse();
        assertThat(health.downEvents()).isEqualTo(1);
    }

    @Test
    void lateReplies_neverBringADownNodeBack() {
        fail(3);
        advance(Duration.ofMinutes(5));
        for (int i = 0; i < 100; i++) {
            health.onSuccess();
        }
        assertThat(health.isUp()).isFalse();
        assertThat(health.upEvents()).isZero();
    }

    @Test
    void answeredProbe_bringsItBack_onlyAfterTheQuarantine() {
        fail(3);
        advance(Duration.ofSeconds(9));
        health.onProbeSuccess();
        assertThat(health.isUp()).isFalse();
        advance(Duration.ofSeconds(1));
        health.onProbeSuccess();
        assertThat(health.isUp()).isTrue();
        assertThat(health.upEvents()).isEqualTo(1);
        assertThat(health.probeSuccesses()).isEqualTo(2);
    }

    @Test
    void failureWhileDown_restartsTheQuarantine() {
        fail(3);
        advance(Duration.ofSeconds(8));
        fail(1); // a probe that timed out
        advance(Duration.ofSeconds(8));
        health.onProbeSuccess();
        assertThat(health.isUp()).isFalse();
        advance(Duration.ofSeconds(2));
        health.onProbeSuccess();
        assertThat(health.isUp()).isTrue();
    }

    @Test
    void backUp_needsAFullThresholdOfNewFailuresToGoDownAgain() {
        fail(3);
        advance(Duration.ofSeconds(10));
        health.onProbeSuccess();
        fail(2);
        assertThat(health.isUp()).isTrue();
        fail(1);
        assertThat(health.isUp()).isFalse();
        assertThat(health.downEvents()).isEqualTo(2);
    }

    @Test
    void unreachableBeforeItEverAnswered_isMarkedDownAtOnce_withItsCause() {
        health.onFirstConnectFailure("Connection refused: /127.0.0.1:1");
        assertThat(health.isUp()).isFalse();
        assertThat(health.downEvents()).isEqualTo(1);
        assertThat(health.lastFailure()).isEqualTo("Connection refused: /127.0.0.1:1");
        advance(Duration.ofSeconds(10));
        health.onProbeSuccess();
        assertThat(health.isUp()).isTrue();
    }

    @Test
    void detachedHealth_staysUp_whenItsFirstConnectFails() {
        NodeHealth scans = NodeHealth.detached("n (scans)");
        scans.onFirstConnectFailure("Connection refused");
        assertThat(scans.isUp()).isTrue();
        assertThat(scans.lastFailure()).isEqualTo("Connection refused");
    }

    @Test
    void detachedHealth_neverGoesDown() {
        NodeHealth scans = NodeHealth.detached("scans");
        for (int i = 0; i < 1000; i++) {
            scans.onFailure(new RequestTimeoutException("timeout"));
        }
        assertThat(scans.isUp()).isTrue();
        assertThat(scans.failures()).isEqualTo(1000);
    }
}
