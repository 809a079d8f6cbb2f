package io.memring.jcache.event;

/**
 * One cache's counts of events caused by other JVMs, in this JVM, registered as
 * {@code io.memring:type=RemoteEvents,CacheManager=<uri>,Cache=<name>} while the cache's statistics
 * are enabled and it hears other JVMs at all (remote events on, a ring whose nodes push). The same
 * counts are available through {@code cache.unwrap(RemoteEvents.class)}.
 */
public interface RemoteEventsMXBean {

    /** Returns the changes the nodes pushed that can raise an event (created, updated, removed, expired), while listening. */
    long getReceived();

    /** Returns the events delivered to the listeners (after mapping; their filters may still have dropped them). */
    long getDelivered();

    /** Returns the changes dropped because too many waited for slow listeners. */
    long getDropped();

    /** Returns how often a node's stream was reset (a gap, new boot, disconnect, missed heartbeat, overflow): its events were lost. */
    long getResets();

    /** Returns the changes whose key or value this cache could not decode (no event). */
    long getUndecodable();

    /** Returns whether the cache is subscribed now (it has listeners). */
    boolean isListening();
}
