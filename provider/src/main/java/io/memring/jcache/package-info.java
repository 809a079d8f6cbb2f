/**
 * Memring's JCache (JSR-107) provider: {@link io.memring.jcache.MemringCachingProvider} (registered for
 * {@code Caching.getCachingProvider()}), {@link io.memring.jcache.MemringCacheManager} and
 * {@link io.memring.jcache.MemringCache}, the coordinator that turns each JCache operation into reads
 * and conditional writes on a {@code RemoteStore}. {@code CacheFactory} assembles each cache's
 * collaborators ({@code CacheParts}); {@code KeyTransactions} runs single-key operations atomically;
 * {@code EntryCodec}, {@code Expiry} and {@code Integration} hold serialization, expiry-policy and
 * loader/writer rules. Sub-packages: {@code store} (where entries are), {@code serialization},
 * {@code configuration}, {@code event}, {@code management}, {@code processor}, {@code embedded}.
 */
package io.memring.jcache;
