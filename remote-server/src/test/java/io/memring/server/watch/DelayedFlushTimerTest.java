package io.memring.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.storage.FakeClock;
import io.memring.server.storage.Storage;
import io.memring.server.storage.StorageConfig;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A delayed flush's announcement waits on the node's timer, and memcached keeps one pending flush
 * time: so the timer holds one announcement, however many {@code flush_all <delay>} arrive (issue 8's
 * regression: each scheduled its own task, and 10 MB of {@code flush_all 2000000 noreply} queued
 * ~370k of them, ~50 MB of heap on a node whose launcher gives it 56 MB).
 */
class DelayedFlushTimerTest {
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final Storage storage = new Storage(StorageConfig.defaults().withMemoryLimit(4L << 20), new FakeClock());

    DelayedFlushTimerTest() {
        timer.setRemoveOnCancelPolicy(true); // as the node's own timer (MemringServer)
        storage.setMutationListener(new WatchHub(storage, 4L << 20, 64L << 20, timer));
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void manyDelayedFlushes_holdOneTimerTask() {
        for (int i = 0; i < 100_000; i++) {
            storage.flushAll(2_000_000);
        }
        assertThat(timer.getQueue()).hasSize(1);
    }

    @Test
    void anImmediateFlush_dropsThePendingAnnouncement() {
        storage.flushAll(2_000_000);
        storage.flushAll(1_000);
        assertThat(timer.getQueue()).hasSize(1);
        storage.flushAll(0);
        assertThat(timer.getQueue()).isEmpty();
    }
}
