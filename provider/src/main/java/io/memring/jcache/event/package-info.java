/**
 * Cache entry events: {@link io.memring.jcache.event.EventDispatcher} gathers the events of one
 * operation and delivers them, after the operation, to every matching
 * {@link io.memring.jcache.event.ListenerRegistration} — synchronous listeners on the caller's
 * thread (their exceptions reach the caller as {@code CacheEntryListenerException}), asynchronous
 * ones in order on the cache's event thread. Events are those of operations made through this JVM.
 */
package io.memring.jcache.event;
