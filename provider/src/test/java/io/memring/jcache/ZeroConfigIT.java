package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;

/** The README's zero-config promise: no servers configured, an embedded node, caches just work. */
class ZeroConfigIT {

    @Test
    void defaultProvider_withoutConfiguration_runsAnEmbeddedNode() {
        CachingProvider provider = Caching.getCachingProvider();
        assertThat(provider).isInstanceOf(MemringCachingProvider.class);
        try {
            CacheManager manager = provider.getCacheManager();
            Cache<String, Integer> cache = manager.createCache("zero-config", new MutableConfiguration<String, Integer>());
            cache.put("answer", 42);
            assertThat(cache.get("answer")).isEqualTo(42);
            assertThat(cache.unwrap(MemringCache.class)).isSameAs(cache);
            assertThat(cache.unwrap(io.memring.client.MemcacheClient.class)).isNotNull();
        } finally {
            provider.close();
        }
    }
}
