package io.memring.jcache;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;

/** Records {@code TYPE key=value old=oldValue} and the delivering thread's name. */
final class EventRecorder implements CacheEntryCreatedListener<String, String>, CacheEntryUpdatedListener<String, String>,
        CacheEntryRemovedListener<String, String>, CacheEntryExpiredListener<String, String>, Serializable {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile CountDownLatch blockUntil;
    private MutableCacheEntryListenerConfiguration<String, String> sync;
    private MutableCacheEntryListenerConfiguration<String, String> async;

    MutableCacheEntryListenerConfiguration<String, String> registration(boolean synchronous) {
        if (synchronous) {
            if (sync == null) {
                sync = new MutableCacheEntryListenerConfiguration<>(new FactoryBuilder.SingletonFactory<>(this), null, true, true);
            }
            return sync;
        }
        if (async == null) {
            async = new MutableCacheEntryListenerConfiguration<>(new FactoryBuilder.SingletonFactory<>(this), null, true, false);
        }
        return async;
    }

    private void record(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
        CountDownLatch latch = blockUntil;
        if (latch != null) {
            try {
                latch.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (CacheEntryEvent<? extends String, ? extends String> e : batch) {
            events.add(e.getEventType() + " " + e.getKey() + "=" + e.getValue()
                    + (e.isOldValueAvailable() ? " old=" + e.getOldValue() : ""));
            threads.add(Thread.currentThread().getName());
        }
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
        record(batch);
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
        record(batch);
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
        record(batch);
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> batch) {
        record(batch);
    }
}
