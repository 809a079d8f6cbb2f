package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Expiry edge cases the TCK does not pin down, against an in-memory store and a fake clock. */
class MemringCacheExpiryTest {
    private final InMemoryCaches caches = new InMemoryCaches();
    private final InMemoryCaches.Recorder recorder = new InMemoryCaches.Recorder();

    @AfterEach
    void close() {
        caches.close();
    }

    private Cache<String, String> cache(ExpiryPolicy policy) {
        return caches.create("expiry", new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                .setExpiryPolicyFactory(new FactoryBuilder.SingletonFactory<>(policy))
                .addCacheEntryListenerConfiguration(recorder.registration()));
    }

    /** A policy with fixed answers (null = leave unchanged), and one that throws when asked. */
    private record Policy(Duration creation, Duration update, Duration access) implements ExpiryPolicy {
        @Override
        public Duration getExpiryForCreation() {
            return creation;
        }

        @Override
        public Duration getExpiryForAccess() {
            return access;
        }

        @Override
        public Duration getExpiryForUpdate() {
            return update;
        }
    }

    @Test
    void expiry_atExactlyTheDeadline_isExpired_oneMillisecondBeforeIsNot() {
        Cache<String, String> c = cache(new CreatedExpiryPolicy(new Duration(TimeUnit.MILLISECONDS, 1000)));
        c.put("k", "v");
        caches.advance(999);
        assertThat(c.get("k")).isEqualTo("v");
        caches.advance(1);
        assertThat(c.get("k")).isNull();
        assertThat(recorder.events).containsExactly("CREATED k=v", "EXPIRED k=v old=v");
    }

    @Test
    void updateWithZeroDuration_expiresTheEntry_andTheNextReadReportsIt() {
        Cache<String, String> c = cache(new Policy(Duration.ETERNAL, Duration.ZERO, null));
        c.put("k", "v1");
        c.put("k", "v2");
        assertThat(c.containsKey("k")).isFalse();
        assertThat(c.get("k")).isNull();
        assertThat(recorder.events).containsExactly("CREATED k=v1", "UPDATED k=v2 old=v1", "EXPIRED k=v2 old=v2");
        assertThat(caches.store("expiry").size()).isZero();
    }

    @Test
    void nullUpdateAndAccessDurations_leaveTheExpiryAsItWas() {
        Cache<String, String> c = cache(new Policy(new Duration(TimeUnit.SECONDS, 10), null, null));
        c.put("k", "v1");
        caches.advance(6_000);
        c.put("k", "v2");       // update: unchanged, still 10 s from creation
        assertThat(c.get("k")).isEqualTo("v2");
        caches.advance(4_000);
        assertThat(c.get("k")).isNull();
    }

    @Test
    void policyThatThrows_onAccess_keepsTheExpiry_andTheReadSucceeds() {
        ExpiryPolicy throwing = new ExpiryPolicy() {
            @Override
            public Duration getExpiryForCreation() {
                return new Duration(TimeUnit.SECONDS, 10);
            }

            @Override
            public Duration getExpiryForAccess() {
                throw new IllegalStateException("policy bug");
            }

            @Override
            public Duration getExpiryForUpdate() {
                throw new IllegalStateException("policy bug");
            }
        };
        Cache<String, String> c = cache(throwing);
        c.put("k", "v");
        caches.advance(5_000);
        assertThat(c.get("k")).isEqualTo("v");
        caches.advance(5_000);
        assertThat(c.get("k")).isNull();
    }

    @Test
    void zeroAccessDuration_expiresAfterTheRead_thatStillReturnsTheValue() {
        Cache<String, String> c = cache(new Policy(Duration.ETERNAL, null, Duration.ZERO));
        c.put("k", "v");
        assertThat(c.get("k")).isEqualTo("v");
        assertThat(c.get("k")).isNull();
    }

    @Test
    void getAll_appliesTheAccessExpiry_toEveryHit() {
        Cache<String, String> c = cache(new AccessedExpiryPolicy(new Duration(TimeUnit.SECONDS, 10)));
        c.put("a", "1");
        c.put("b", "2");
        caches.advance(8_000);
        assertThat(c.getAll(Set.of("a", "b"))).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
        caches.advance(8_000); // 16 s after creation, 8 s after the access
        assertThat(c.getAll(Set.of("a", "b"))).hasSize(2);
        caches.advance(10_000);
        assertThat(c.getAll(Set.of("a", "b"))).isEmpty();
    }

    @Test
    void iteration_skipsExpiredEntries_withoutRemovingThem() {
        Cache<String, String> c = cache(new Policy(new Duration(TimeUnit.SECONDS, 10), null, null));
        c.put("short", "1");
        caches.advance(5_000);
        c.put("long", "2");
        caches.advance(6_000); // "short" has expired, "long" has not
        List<String> seen = new java.util.ArrayList<>();
        c.forEach(e -> seen.add(e.getKey()));
        assertThat(seen).containsExactly("long");
    }

    @Test
    void creationOverflow_farFutureDuration_isAsGoodAsNever() {
        Cache<String, String> c = cache(new Policy(new Duration(TimeUnit.DAYS, Long.MAX_VALUE / 1000), null, null));
        c.put("k", "v");
        caches.advance(TimeUnit.DAYS.toMillis(365L * 100));
        assertThat(c.get("k")).isEqualTo("v");
    }
}
