package io.memring.samples.spring;

import java.util.concurrent.TimeUnit;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.springframework.boot.cache.autoconfigure.JCacheManagerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the "books" cache in this JVM's CacheManager (each JVM creates the caches it uses; their
 * entries are on the nodes), with statistics on, which Micrometer reads for {@code cache.gets}.
 */
@Configuration(proxyBeanMethods = false)
public class CacheSetup {
    @Bean
    JCacheManagerCustomizer booksCache() {
        return cacheManager -> cacheManager.createCache(BookService.CACHE, new MutableConfiguration<Object, Object>()
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 10)))
                .setStatisticsEnabled(true));
    }
}
