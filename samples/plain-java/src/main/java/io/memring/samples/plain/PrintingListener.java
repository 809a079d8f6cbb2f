package io.memring.samples.plain;

import java.io.PrintStream;
import java.io.Serializable;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;

/** An entry listener that prints each event it hears, with the old value when there is one. */
public final class PrintingListener<K, V> implements CacheEntryCreatedListener<K, V>, CacheEntryUpdatedListener<K, V>,
        CacheEntryRemovedListener<K, V>, CacheEntryExpiredListener<K, V>, Serializable {
    private static final long serialVersionUID = 1L;
    private final transient PrintStream out;

    public PrintingListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
        events.forEach(e -> out.println("event: created " + e.getKey() + " = " + e.getValue()));
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
        events.forEach(e -> out.println("event: updated " + e.getKey() + " " + e.getOldValue() + " -> " + e.getValue()));
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
        events.forEach(e -> out.println("event: removed " + e.getKey() + " (was " + e.getOldValue() + ")"));
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
        events.forEach(e -> out.println("event: expired " + e.getKey()));
    }
}
