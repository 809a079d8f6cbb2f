/**
 * Memring's JCache (JSR-107) provider: {@link io.memring.jcache.MemringCachingProvider} (registered for
 * {@code Caching.getCachingProvider()}), {@link io.memring.jcache.MemringCacheManager} and
 * {@link io.memring.jcache.MemringCache}, the coordinator that turns each JCache operation into reads
 * and conditional writes on the ring. Collaborators live in sub-packages: {@code store} (layout on the
 * ring), {@code serialization}, {@code configuration}, {@code event}, {@code management},
 * {@code processor}, {@code embedded}.
 */
package io.memring.jcache;
