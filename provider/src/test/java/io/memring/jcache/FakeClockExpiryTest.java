package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Expiry decisions against an injected clock: minutes pass without sleeping. */
class FakeClockExpiryTest {
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
    private final MemringCachingProvider provider = new MemringCachingProvider();
    private final MemringCacheManager manager = new MemringCacheManager(provider, URI.create("memring://fake-clock"),
            getClass().getClassLoader(), new Properties(), now::get);

    @AfterEach
    void close() {
        manager.close();
        provider.close();
    }

    static final List<Object> EXPIRED = new ArrayList<>();

    /** Records expired events. */
    public static final class ExpiredRecorder implements CacheEntryExpiredListener<String, String>, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            events.forEach(e -> EXPIRED.add(e.getKey()));
        }
    }

    @Test
    void modifiedExpiry_tenMinutesPass_entryIsGoneWithAnExpiredEvent() {
        EXPIRED.clear();
        MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
                .setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 10)))
                .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                        FactoryBuilder.factoryOf(ExpiredRecorder.class), null, true, true));
        Cache<String, String> cache = manager.createCache("fake-modified", config);
        cache.put("k", "v");
        now.addAndGet(TimeUnit.MINUTES.toMillis(9));
        assertThat(cache.get("k")).isEqualTo("v");
        now.addAndGet(TimeUnit.MINUTES.toMillis(2));
        assertThat(cache.get("k")).isNull();
        assertThat(EXPIRED).containsExactly("k");
    }

    @Test
    void accessedExpiry_readingExtendsTheEntrysLife() {
        Cache<String, String> cache = manager.createCache("fake-accessed", new MutableConfiguration<String, String>()
                .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 5))));
        cache.put("k", "v");
        for (int i = 0; i < 4; i++) {
            now.addAndGet(TimeUnit.MINUTES.toMillis(4));
            assertThat(cache.get("k")).as("read %d", i).isEqualTo("v");
        }
        now.addAndGet(TimeUnit.MINUTES.toMillis(6));
        assertThat(cache.containsKey("k")).isFalse();
    }

    @Test
    void zeroCreationDuration_isNeverStored() {
        Cache<String, String> cache = manager.createCache("fake-zero", new MutableConfiguration<String, String>()
                .setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(Duration.ZERO)));
        cache.put("k", "v");
        assertThat(cache.containsKey("k")).isFalse();
        assertThat(cache.iterator().hasNext()).isFalse();
    }
}
