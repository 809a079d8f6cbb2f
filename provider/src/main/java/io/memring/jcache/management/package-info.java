/**
 * JMX: the spec's {@code CacheMXBean} (configuration) and {@code CacheStatisticsMXBean} (this JVM's
 * counts for a cache), registered by {@link io.memring.jcache.management.CacheMXBeans} as
 * {@code javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>} while
 * management or statistics are enabled.
 */
package io.memring.jcache.management;
