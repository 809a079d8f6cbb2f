package io.memring.jcache.event;

import java.util.ArrayList;
import java.util.List;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/** A registered listener: its configuration, the listener and filter it created, and delivery. */
public final class ListenerRegistration<K, V> {
    private final CacheEntryListenerConfiguration<K, V> configuration;
    private final CacheEntryListener<? super K, ? super V> listener;
    private final CacheEntryEventFilter<? super K, ? super V> filter;

    public ListenerRegistration(CacheEntryListenerConfiguration<K, V> configuration) {
        this.configuration = configuration;
        this.listener = configuration.getCacheEntryListenerFactory().create();
        Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory = configuration.getCacheEntryEventFilterFactory();
        this.filter = filterFactory == null ? null : filterFactory.create();
    }

    public CacheEntryListenerConfiguration<K, V> configuration() {
        return configuration;
    }

    public boolean isSynchronous() {
        return configuration.isSynchronous();
    }

    boolean handles(EventType type) {
        return switch (type) {
            case CREATED -> listener instanceof CacheEntryCreatedListener;
            case UPDATED -> listener instanceof CacheEntryUpdatedListener;
            case REMOVED -> listener instanceof CacheEntryRemovedListener;
            case EXPIRED -> listener instanceof CacheEntryExpiredListener;
        };
    }

    /** Delivers the events this listener wants, in order, grouping runs of one type. */
    @SuppressWarnings("unchecked")
    void deliver(List<MemringCacheEntryEvent<K, V>> events) {
        List<CacheEntryEvent<? extends K, ? extends V>> run = new ArrayList<>();
        EventType runType = null;
        for (MemringCacheEntryEvent<K, V> e : events) {
            if (!handles(e.getEventType())) {
                continue;
            }
            // Old values are always delivered when known: the spec allows it when not required.
            MemringCacheEntryEvent<K, V> visible = e;
            if (filter != null && !filter.evaluate(visible)) {
                continue;
            }
            if (runType != null && runType != e.getEventType()) {
                fire(runType, run);
                run = new ArrayList<>();
            }
            runType = e.getEventType();
            run.add(visible);
        }
        if (runType != null) {
            fire(runType, run);
        }
    }

    @SuppressWarnings("unchecked")
    private void fire(EventType type, List<CacheEntryEvent<? extends K, ? extends V>> events) {
        Iterable<CacheEntryEvent<? extends K, ? extends V>> batch = events;
        try {
            switch (type) {
                case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(batch);
                case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(batch);
                case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(batch);
                case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(batch);
            }
        } catch (CacheEntryListenerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheEntryListenerException("listener " + listener.getClass().getName() + " failed", e);
        }
    }

    /** Closes the listener and filter if they hold resources; a failure is thrown after both were tried. */
    public void close() {
        RuntimeException failure = null;
        for (Object o : new Object[] {listener, filter}) {
            try {
                closeIfCloseable(o);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes {@code o} if it is AutoCloseable; a checked failure becomes a CacheException. */
    private static void closeIfCloseable(Object o) {
        if (o instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new javax.cache.CacheException("closing " + o + " failed", e);
            }
        }
    }

}
