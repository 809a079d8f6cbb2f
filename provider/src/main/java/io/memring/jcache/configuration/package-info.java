/**
 * Settings: {@link io.memring.jcache.configuration.ProviderSettings}, the one table of provider
 * settings ({@link io.memring.jcache.configuration.Setting} constants, each with its one default, checked
 * when read; unknown {@code memring.*} keys refused), resolved from the CacheManager URI, its
 * {@code Properties} and a properties file the URI may name ({@code classpath:} or any URL the JDK
 * opens; one that cannot be read is an error);
 * {@link io.memring.jcache.configuration.MemringConfiguration}, a JCache configuration with Memring's
 * per-cache settings; {@link io.memring.jcache.configuration.FrozenConfiguration}, the immutable copy
 * that {@code Cache.getConfiguration} hands out for the JCache types.
 */
package io.memring.jcache.configuration;
