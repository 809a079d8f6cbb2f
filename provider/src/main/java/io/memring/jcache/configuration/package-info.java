/**
 * Settings: {@link io.memring.jcache.configuration.ProviderSettings} (where the ring is, client
 * timeouts) resolved from the CacheManager URI, its {@code Properties} and a properties file the URI
 * may name; {@link io.memring.jcache.configuration.FrozenConfiguration}, the immutable copy of a
 * cache's JCache configuration that {@code Cache.getConfiguration} hands out.
 */
package io.memring.jcache.configuration;
