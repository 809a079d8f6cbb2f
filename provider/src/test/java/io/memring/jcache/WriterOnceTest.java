package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.jcache.serialization.DefaultSerializer;
import io.memring.jcache.serialization.Serializer;
import io.memring.jcache.store.InMemoryStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CacheWriter hears of an operation once, however many CAS attempts another client makes it
 * take; and an operation that can never commit gives up after a bounded number of attempts.
 */
class WriterOnceTest {
    private final InMemoryCaches caches = new InMemoryCaches();
    private final EntryCodec<String, String> codec = new EntryCodec<>(new DefaultSerializer(), getClass().getClassLoader());
    private Cache<String, String> cache;
    private InMemoryStore store;

    /** Records every call; static because JCache builds the writer from a factory. */
    public static final class RecordingWriter implements CacheWriter<String, String> {
        static final List<String> CALLS = new ArrayList<>();

        @Override
        public synchronized void write(Cache.Entry<? extends String, ? extends String> entry) {
            CALLS.add("write " + entry.getKey() + "=" + entry.getValue());
        }

        @Override
        public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
            new ArrayList<>(entries).forEach(this::write);
        }

        @Override
        public synchronized void delete(Object key) {
            CALLS.add("delete " + key);
        }

        @Override
        public void deleteAll(Collection<?> keys) {
            keys.forEach(this::delete);
        }
    }

    @BeforeEach
    void open() {
        RecordingWriter.CALLS.clear();
        cache = caches.create("writer-once", new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                .setWriteThrough(true).setCacheWriterFactory(FactoryBuilder.factoryOf(RecordingWriter.class))
                .addCacheEntryListenerConfiguration(new InMemoryCaches.Recorder().registration())); // not the blind-put path
        store = caches.store("writer-once");
    }

    @AfterEach
    void close() {
        caches.close();
    }

    /** Another client writes {@code value} before each of our next {@code times} conditional writes. */
    private void loseRaces(int times, String value) {
        AtomicInteger left = new AtomicInteger(times);
        store.interfereAlways(s -> {
            if (left.getAndDecrement() > 0) {
                Serializer.Serialized v = codec.serialize(value + left.get());
                s.plant(codec.keyBytes("k"), v.bytes(), v.encoding(), 0);
            }
        });
    }

    @Test
    void put_thatLosesFiveRaces_callsTheWriterOnce() {
        cache.put("k", "v0");
        RecordingWriter.CALLS.clear();
        loseRaces(5, "theirs");

        cache.put("k", "mine");

        assertThat(cache.get("k")).isEqualTo("mine");
        assertThat(RecordingWriter.CALLS).containsExactly("write k=mine");
    }

    @Test
    void remove_thatLosesRaces_callsTheWriterOnce() {
        cache.put("k", "v0");
        RecordingWriter.CALLS.clear();
        loseRaces(3, "theirs");

        assertThat(cache.remove("k")).isTrue();

        assertThat(RecordingWriter.CALLS).containsExactly("delete k");
    }

    @Test
    void put_thatNeverWins_givesUpAfterMaxAttempts_havingCalledTheWriterOnce() {
        cache.put("k", "v0");
        RecordingWriter.CALLS.clear();
        loseRaces(Integer.MAX_VALUE, "theirs");

        assertThatThrownBy(() -> cache.put("k", "mine")).isInstanceOf(CacheException.class).hasMessageContaining("gave up");

        assertThat(RecordingWriter.CALLS).containsExactly("write k=mine");
        assertThat(store.calls("cas")).isEqualTo(KeyTransactions.MAX_ATTEMPTS);
    }
}
