package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.MutableEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listener old values, and which operations fire events at all (clear does not, removeAll does). */
class MemringCacheEventsTest {
    private final InMemoryCaches caches = new InMemoryCaches();
    private final InMemoryCaches.Recorder recorder = new InMemoryCaches.Recorder();
    private Cache<String, String> cache;

    @BeforeEach
    void open() {
        cache = caches.create("events", new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                .addCacheEntryListenerConfiguration(recorder.registration()));
    }

    @AfterEach
    void close() {
        caches.close();
    }

    @Test
    void everyWriteOperation_reportsTheOldValue() {
        cache.put("k", "1");
        cache.getAndPut("k", "2");
        cache.replace("k", "3");
        cache.replace("k", "3", "4");
        cache.getAndReplace("k", "5");
        cache.invoke("k", (MutableEntry<String, String> e, Object... args) -> {
            e.setValue("6");
            return null;
        });
        cache.remove("k", "6");
        cache.put("k", "7");
        cache.getAndRemove("k");
        assertThat(recorder.events).containsExactly(
                "CREATED k=1", "UPDATED k=2 old=1", "UPDATED k=3 old=2", "UPDATED k=4 old=3", "UPDATED k=5 old=4",
                "UPDATED k=6 old=5", "REMOVED k=6 old=6", "CREATED k=7", "REMOVED k=7 old=7");
    }

    @Test
    void failedConditionalOperations_fireNothing() {
        cache.put("k", "1");
        recorder.events.clear();
        assertThat(cache.putIfAbsent("k", "2")).isFalse();
        assertThat(cache.replace("k", "x", "2")).isFalse();
        assertThat(cache.remove("k", "x")).isFalse();
        assertThat(cache.replace("absent", "2")).isFalse();
        assertThat(cache.remove("absent")).isFalse();
        assertThat(recorder.events).isEmpty();
    }

    @Test
    void clear_firesNoEvents_removeAll_firesOneRemovedPerEntryWithItsOldValue() {
        cache.put("a", "1");
        cache.put("b", "2");
        recorder.events.clear();
        cache.clear();
        assertThat(recorder.events).isEmpty();
        assertThat(cache.iterator().hasNext()).isFalse();

        cache.put("a", "1");
        cache.put("b", "2");
        recorder.events.clear();
        cache.removeAll();
        assertThat(recorder.events).containsExactlyInAnyOrder("REMOVED a=1 old=1", "REMOVED b=2 old=2");
        assertThat(cache.iterator().hasNext()).isFalse();
    }

    @Test
    void removeAllOfKeys_removesOnlyThoseKeys_withEvents_andSkipsAbsentOnes() {
        cache.put("a", "1");
        cache.put("b", "2");
        cache.put("c", "3");
        recorder.events.clear();
        cache.removeAll(Set.of("a", "c", "absent"));
        assertThat(recorder.events).containsExactlyInAnyOrder("REMOVED a=1 old=1", "REMOVED c=3 old=3");
        Set<String> left = new HashSet<>();
        cache.forEach(e -> left.add(e.getKey()));
        assertThat(left).containsExactly("b");
    }

    @Test
    void deregisteredListener_hearsNothingMore() {
        cache.put("a", "1");
        cache.deregisterCacheEntryListener(recorder.registration());
        cache.put("a", "2");
        assertThat(recorder.events).containsExactly("CREATED a=1");
    }
}
