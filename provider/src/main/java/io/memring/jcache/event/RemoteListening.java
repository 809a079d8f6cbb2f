package io.memring.jcache.event;

/**
 * Hearing one cache's changes made by other JVMs: the {@link EventDispatcher} starts it when the
 * cache gains its first listener and stops it when the last one goes (or the cache closes).
 */
public interface RemoteListening {
    /** Subscribes (idempotent); never throws because the ring cannot push. */
    void start();

    /** Unsubscribes (idempotent). */
    void stop();

    /** Does nothing: remote events off, or a ring that cannot push. */
    RemoteListening NONE = new RemoteListening() {
        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }
    };
}
