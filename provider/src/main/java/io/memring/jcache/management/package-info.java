/**
 * JMX: the spec's {@code CacheMXBean} (configuration) and {@code CacheStatisticsMXBean} (this JVM's
 * counts for a cache), registered as {@code javax.cache:type=CacheConfiguration|CacheStatistics,
 * CacheManager=<uri>,Cache=<name>} when management or statistics are enabled.
 */
package io.memring.jcache.management;
