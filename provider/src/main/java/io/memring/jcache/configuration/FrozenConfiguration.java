package io.memring.jcache.configuration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/** An immutable snapshot of a cache's configuration (there are no setters to call). */
public final class FrozenConfiguration<K, V> implements CompleteConfiguration<K, V> {
    private static final long serialVersionUID = 1L;

    private final Class<K> keyType;
    private final Class<V> valueType;
    private final boolean readThrough;
    private final boolean writeThrough;
    private final boolean storeByValue;
    private final boolean statisticsEnabled;
    private final boolean managementEnabled;
    private final List<CacheEntryListenerConfiguration<K, V>> listeners;
    private final Factory<CacheLoader<K, V>> loaderFactory;
    private final Factory<CacheWriter<? super K, ? super V>> writerFactory;
    private final Factory<ExpiryPolicy> expiryFactory;

    public FrozenConfiguration(CompleteConfiguration<K, V> c, List<CacheEntryListenerConfiguration<K, V>> listeners) {
        this.keyType = c.getKeyType();
        this.valueType = c.getValueType();
        this.readThrough = c.isReadThrough();
        this.writeThrough = c.isWriteThrough();
        this.storeByValue = c.isStoreByValue();
        this.statisticsEnabled = c.isStatisticsEnabled();
        this.managementEnabled = c.isManagementEnabled();
        this.listeners = Collections.unmodifiableList(new ArrayList<>(listeners));
        this.loaderFactory = c.getCacheLoaderFactory();
        this.writerFactory = c.getCacheWriterFactory();
        this.expiryFactory = c.getExpiryPolicyFactory();
    }

    @Override
    public Class<K> getKeyType() {
        return keyType;
    }

    @Override
    public Class<V> getValueType() {
        return valueType;
    }

    @Override
    public boolean isStoreByValue() {
        return storeByValue;
    }

    @Override
    public boolean isReadThrough() {
        return readThrough;
    }

    @Override
    public boolean isWriteThrough() {
        return writeThrough;
    }

    @Override
    public boolean isStatisticsEnabled() {
        return statisticsEnabled;
    }

    @Override
    public boolean isManagementEnabled() {
        return managementEnabled;
    }

    @Override
    public Iterable<CacheEntryListenerConfiguration<K, V>> getCacheEntryListenerConfigurations() {
        return listeners;
    }

    @Override
    public Factory<CacheLoader<K, V>> getCacheLoaderFactory() {
        return loaderFactory;
    }

    @Override
    public Factory<CacheWriter<? super K, ? super V>> getCacheWriterFactory() {
        return writerFactory;
    }

    @Override
    public Factory<ExpiryPolicy> getExpiryPolicyFactory() {
        return expiryFactory;
    }
}
