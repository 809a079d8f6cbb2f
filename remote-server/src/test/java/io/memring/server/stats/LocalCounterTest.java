package io.memring.server.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LocalCounterTest {
    @Test
    void sum_addsEveryThreadsCounts_andResetStartsFromZero() throws Exception {
        LocalCounter.Group group = new LocalCounter.Group();
        LocalCounter a = group.newCounter();
        LocalCounter b = group.newCounter();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 100_000; i++) {
                    a.increment();
                    b.add(3);
                }
            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) {
            th.join(10_000);
        }
        assertThat(a.sum()).isEqualTo(400_000);
        assertThat(b.sum()).isEqualTo(1_200_000);
        a.reset();
        assertThat(a.sum()).isZero();
        a.increment();
        assertThat(a.sum()).isEqualTo(1);
        assertThat(b.sum()).isEqualTo(1_200_000);
    }
}
