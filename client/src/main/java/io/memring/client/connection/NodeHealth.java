package io.memring.client.connection;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Up/down state of one node: {@code threshold} consecutive failures mark it down; the next success
 * (a reconnect probe, or any reply) marks it up. Transitions are logged at INFO and counted.
 */
public final class NodeHealth {
    private static final Logger log = LoggerFactory.getLogger(NodeHealth.class);

    private final String node;
    private final int threshold;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final LongAdder failures = new LongAdder();
    private final LongAdder downEvents = new LongAdder();
    private final LongAdder upEvents = new LongAdder();
    private volatile boolean up = true;

    public NodeHealth(String node, int threshold) {
        this.node = node;
        this.threshold = threshold;
    }

    public boolean isUp() {
        return up;
    }

    public void onSuccess() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
        if (!up) {
            synchronized (this) {
                if (!up) {
                    up = true;
                    upEvents.increment();
                    log.info("memcached node {} is back up", node);
                }
            }
        }
    }

    public void onFailure(Throwable cause) {
        failures.increment();
        if (consecutiveFailures.incrementAndGet() >= threshold && up) {
            synchronized (this) {
                if (up) {
                    up = false;
                    downEvents.increment();
                    log.info("memcached node {} marked down after {} consecutive failures (last: {})", node, threshold,
                            cause.toString());
                }
            }
        }
    }

    public long failures() {
        return failures.sum();
    }

    public long downEvents() {
        return downEvents.sum();
    }

    public long upEvents() {
        return upEvents.sum();
    }
}
