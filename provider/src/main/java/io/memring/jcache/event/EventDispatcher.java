package io.memring.jcache.event;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.EventType;

/**
 * The listeners of one cache and the delivery of each operation's events. Asynchronous listeners run
 * on one thread per cache, so each sees events in the order operations completed.
 *
 * <p>Events other JVMs caused ({@link #deliverRemote}) arrive on that same thread for every listener,
 * synchronous ones included: nothing in this JVM waits for them. While the cache has listeners the
 * dispatcher keeps its {@link RemoteListening} started.
 */
public final class EventDispatcher<K, V> implements AutoCloseable {
    private final List<ListenerRegistration<K, V>> registrations = new CopyOnWriteArrayList<>();
    private final ExecutorService asyncExecutor;
    private volatile Cache<K, V> source;
    private RemoteListening remote = RemoteListening.NONE;
    /** Whether {@link #remote} is started; guarded by {@code this}. */
    private boolean remoteStarted;
    private boolean closed;

    /** A dispatcher for the named cache; {@link #bind} tells it the cache once that exists. */
    public EventDispatcher(String cacheName) {
        this.asyncExecutor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "memring-events-" + cacheName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Sets the cache that events name as their source (events are built only after this). */
    public void bind(Cache<K, V> cache) {
        this.source = cache;
        updateRemote();
    }

    /** Sets how this cache hears other JVMs' changes (started while it has listeners and is bound). */
    public void remote(RemoteListening listening) {
        synchronized (this) {
            if (remoteStarted) {
                remote.stop();
                remoteStarted = false;
            }
            remote = listening;
        }
        updateRemote();
    }

    /** Returns how this cache hears other JVMs' changes ({@link RemoteListening#NONE} when it does not). */
    public synchronized RemoteListening remote() {
        return remote;
    }

    /** Starts or stops hearing other JVMs to match whether there are listeners. */
    private synchronized void updateRemote() {
        boolean wanted = !closed && source != null && !registrations.isEmpty();
        if (wanted && !remoteStarted) {
            remote.start();
            remoteStarted = true;
        } else if (!wanted && remoteStarted) {
            remoteStarted = false;
            remote.stop();
        }
    }

    public void register(CacheEntryListenerConfiguration<K, V> configuration) {
        for (ListenerRegistration<K, V> r : registrations) {
            if (r.configuration().equals(configuration)) {
                throw new IllegalArgumentException("listener configuration already registered");
            }
        }
        registrations.add(new ListenerRegistration<>(configuration));
        updateRemote();
    }

    public void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
        for (ListenerRegistration<K, V> r : registrations) {
            if (r.configuration().equals(configuration)) {
                registrations.remove(r);
                updateRemote();
                r.close();
            }
        }
    }

    public boolean hasListeners() {
        return !registrations.isEmpty();
    }

    /**
     * Runs {@code task} on the cache's event thread, after the events already queued there; false if
     * the dispatcher is closed (the task is dropped).
     */
    public boolean onEventThread(Runnable task) {
        try {
            asyncExecutor.execute(task);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Delivers an event another JVM caused to every listener whose filter accepts it, synchronous ones
     * too; call it on the event thread ({@link #onEventThread}). A listener's failure is logged.
     */
    public void deliverRemote(RemoteEvent<K, V> event) {
        if (registrations.isEmpty()) {
            return;
        }
        List<MemringCacheEntryEvent<K, V>> one = List.of(new MemringCacheEntryEvent<>(source, event.type(), event.key(),
                event.value(), event.oldValue(), event.oldValueAvailable()));
        for (ListenerRegistration<K, V> r : registrations) {
            try {
                r.deliver(one);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(EventDispatcher.class).warn("listener failed on an event from another JVM", e);
            }
        }
    }

    /** Starts collecting one operation's events. */
    public Batch batch() {
        return new Batch();
    }

    /** The events of one operation, delivered by {@link #dispatch()}. */
    public final class Batch {
        private final List<MemringCacheEntryEvent<K, V>> events = new ArrayList<>(2);

        public void created(K key, V value) {
            add(EventType.CREATED, key, value, null, false);
        }

        public void updated(K key, V value, V oldValue) {
            add(EventType.UPDATED, key, value, oldValue, true);
        }

        public void removed(K key, V oldValue) {
            add(EventType.REMOVED, key, oldValue, oldValue, true);
        }

        public void expired(K key, V oldValue) {
            add(EventType.EXPIRED, key, oldValue, oldValue, true);
        }

        private void add(EventType type, K key, V value, V oldValue, boolean oldAvailable) {
            if (!registrations.isEmpty()) {
                events.add(new MemringCacheEntryEvent<>(source, type, key, value, oldValue, oldAvailable));
            }
        }

        /** Delivers: synchronous listeners now (their failures are thrown), asynchronous in order later. */
        public void dispatch() {
            if (events.isEmpty()) {
                return;
            }
            List<MemringCacheEntryEvent<K, V>> snapshot = List.copyOf(events);
            events.clear();
            RuntimeException failure = null;
            for (ListenerRegistration<K, V> r : registrations) {
                if (r.isSynchronous()) {
                    try {
                        r.deliver(snapshot);
                    } catch (RuntimeException e) {
                        if (failure == null) {
                            failure = e;
                        } else {
                            failure.addSuppressed(e);
                        }
                    }
                } else {
                    asyncExecutor.execute(() -> {
                        try {
                            r.deliver(snapshot);
                        } catch (RuntimeException e) {
                            org.slf4j.LoggerFactory.getLogger(EventDispatcher.class).warn("asynchronous listener failed", e);
                        }
                    });
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /**
     * Delivers what asynchronous listeners still have queued (up to 5 s), then closes every listener
     * and filter; failures are collected as suppressed exceptions of the one thrown.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        RuntimeException failure = null;
        try {
            updateRemote();
        } catch (RuntimeException e) {
            failure = e;
        }
        asyncExecutor.shutdown();
        try {
            asyncExecutor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ListenerRegistration<K, V> r : registrations) {
            try {
                r.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new javax.cache.CacheException("closing the listeners failed");
                }
                failure.addSuppressed(e);
            }
        }
        registrations.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
