/**
 * Cache entry events: {@link io.memring.jcache.event.EventDispatcher} gathers the events of one
 * operation and delivers them, after the operation, to every matching
 * {@link io.memring.jcache.event.ListenerRegistration} — synchronous listeners on the caller's
 * thread (their exceptions reach the caller as {@code CacheEntryListenerException}), asynchronous
 * ones in order on the cache's event thread.
 *
 * <p>Events other JVMs caused: while a cache has listeners, {@link io.memring.jcache.event.RemoteEvents}
 * keeps a subscription to the cache's namespace ({@link io.memring.jcache.store.ChangeSource}); each
 * change a node pushes is turned into the event the writing JVM raised by
 * {@link io.memring.jcache.event.RemoteEventMapper} and delivered on the event thread to every
 * listener, at most once. Depends on the JCache API, the store package (envelopes, entries) and the
 * client's {@code watch} API; never on the client's protocol or connections.
 */
package io.memring.jcache.event;
