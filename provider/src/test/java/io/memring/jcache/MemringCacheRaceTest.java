package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.jcache.serialization.DefaultSerializer;
import io.memring.jcache.serialization.Serializer;
import io.memring.jcache.store.InMemoryStore;
import io.memring.jcache.store.StoredEntry;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lost CAS races (another JVM writes between our read and our conditional write): the operation
 * reads again and decides again, and its result and events are those of the committed attempt.
 */
class MemringCacheRaceTest {
    private final InMemoryCaches caches = new InMemoryCaches();
    private final InMemoryCaches.Recorder recorder = new InMemoryCaches.Recorder();
    private final EntryCodec<String, String> codec = new EntryCodec<>(new DefaultSerializer(), getClass().getClassLoader());
    private Cache<String, String> cache;
    private InMemoryStore store;

    @AfterEach
    void close() {
        caches.close();
    }

    private void open() {
        cache = caches.create("race", new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                .addCacheEntryListenerConfiguration(recorder.registration()));
        store = caches.store("race");
    }

    /** Another client's write of {@code value} under {@code key}, as a Memring envelope would hold it. */
    private Consumer<InMemoryStore> otherClientWrites(String key, String value) {
        return s -> {
            Serializer.Serialized v = codec.serialize(value);
            s.plant(codec.keyBytes(key), v.bytes(), v.encoding(), 0);
        };
    }

    private Consumer<InMemoryStore> otherClientDeletes(String key) {
        return s -> s.delete(codec.keyBytes(key));
    }

    @Test
    void put_racedByAnotherWriter_retries_andReportsAnUpdateOfTheirValue() {
        open();
        cache.put("k", "mine-1");
        store.interfereOnce(otherClientWrites("k", "theirs"));
        cache.put("k", "mine-2");
        assertThat(cache.get("k")).isEqualTo("mine-2");
        assertThat(recorder.events).containsExactly("CREATED k=mine-1", "UPDATED k=mine-2 old=theirs");
    }

    @Test
    void putIfAbsent_racedByAnotherCreate_returnsFalse_andLeavesTheirValue() {
        open();
        store.interfereOnce(otherClientWrites("k", "theirs"));
        assertThat(cache.putIfAbsent("k", "mine")).isFalse();
        assertThat(cache.get("k")).isEqualTo("theirs");
        assertThat(recorder.events).isEmpty();
    }

    @Test
    void replace3_whoseOldValueChangesDuringTheRace_returnsFalse() {
        open();
        cache.put("k", "a");
        store.interfereOnce(otherClientWrites("k", "b"));
        assertThat(cache.replace("k", "a", "c")).isFalse();
        assertThat(cache.get("k")).isEqualTo("b");
    }

    @Test
    void getAndRemove_racedByADelete_returnsNull_andFiresNoEvent() {
        open();
        cache.put("k", "a");
        recorder.events.clear();
        store.interfereOnce(otherClientDeletes("k"));
        assertThat(cache.getAndRemove("k")).isNull();
        assertThat(recorder.events).isEmpty();
    }

    @Test
    void removeAll_entryChangedBetweenReadAndDelete_isRemovedWithItsNewValue() {
        open();
        cache.put("a", "1");
        cache.put("b", "2");
        recorder.events.clear();
        store.interfereOnce(otherClientWrites("a", "1-theirs")); // lands before the pipelined delete
        cache.removeAll();
        assertThat(store.size()).isZero();
        assertThat(recorder.events).containsExactlyInAnyOrder("REMOVED a=1-theirs old=1-theirs", "REMOVED b=2 old=2");
    }

    @Test
    void aWriterThatAlwaysWins_endsInACacheException_notALoopForever() {
        open();
        cache.put("k", "a");
        int[] n = {0};
        store.interfereAlways(s -> otherClientWrites("k", "theirs-" + n[0]++).accept(s));
        assertThatThrownBy(() -> cache.put("k", "mine")).isInstanceOf(CacheException.class);
        store.interfereAlways(null);
        assertThat(n[0]).isBetween(2, 1000);
        StoredEntry e = store.read(codec.keyBytes("k"));
        assertThat(codec.valueOf(e)).startsWith("theirs-");
    }
}
