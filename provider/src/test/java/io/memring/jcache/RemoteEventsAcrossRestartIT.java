package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.jcache.event.RemoteEvents;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The guarantee across a broken stream is at most once: a node that goes away and comes back empty
 * resets the listening side's stream (counted), nothing is replayed, and events flow again once the
 * client has resubscribed.
 */
class RemoteEventsAcrossRestartIT {

    @Test
    void nodeRestart_isCountedAsAReset_andLaterChangesAreHeardAgain() throws Exception {
        Cluster cluster = Cluster.memring(1);
        try {
            CacheManager a = cluster.newManager();
            CacheManager b = cluster.newManager();
            MutableConfiguration<String, String> config = new MutableConfiguration<String, String>().setTypes(String.class, String.class);
            Cache<String, String> onA = a.createCache("restart", config);
            Cache<String, String> onB = b.createCache("restart", config);
            EventRecorder heard = new EventRecorder();
            onB.registerCacheEntryListener(heard.registration(false));
            RemoteEvents<?, ?> remote = onB.unwrap(RemoteEvents.class);

            onA.put("before", "1");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> heard.events.contains("CREATED before=1"));

            cluster.nodes.kill(0);
            cluster.nodes.restart(0);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> remote.resets() >= 1);

            // writes made before B's client resubscribed are lost (at most once); keep writing until one is heard
            AtomicInteger attempt = new AtomicInteger();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                try {
                    onA.put("after", Integer.toString(attempt.incrementAndGet()));
                } catch (javax.cache.CacheException nodeStillComingBack) {
                    return false;
                }
                return heard.events.stream().anyMatch(e -> e.contains(" after="));
            });
            assertThat(heard.events.get(0)).isEqualTo("CREATED before=1");
            assertThat(heard.events).noneMatch(e -> e.contains("before") && !e.equals("CREATED before=1"));
        } finally {
            cluster.stop();
        }
    }
}
