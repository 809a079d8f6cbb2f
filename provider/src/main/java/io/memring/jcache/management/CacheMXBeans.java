package io.memring.jcache.management;

import javax.management.ObjectName;

/**
 * A cache's two MXBeans and their registration: the configuration bean while management is enabled,
 * the statistics bean (and counting) while statistics are enabled.
 */
public final class CacheMXBeans {
    private final CacheStatistics statistics;
    private final CacheConfigurationBean configuration;
    private final ObjectName statisticsName;
    private final ObjectName configurationName;

    public CacheMXBeans(CacheStatistics statistics, CacheConfigurationBean configuration, String cacheManagerUri, String cacheName) {
        this.statistics = statistics;
        this.configuration = configuration;
        this.statisticsName = JmxRegistration.name(JmxRegistration.Kind.CacheStatistics, cacheManagerUri, cacheName);
        this.configurationName = JmxRegistration.name(JmxRegistration.Kind.CacheConfiguration, cacheManagerUri, cacheName);
    }

    /** Turns statistics on or off, registering or unregistering their bean. */
    public void enableStatistics(boolean enabled) {
        statistics.setEnabled(enabled);
        if (enabled) {
            JmxRegistration.register(statistics, statisticsName);
        } else {
            JmxRegistration.unregister(statisticsName);
        }
    }

    /** Registers or unregisters the configuration bean. */
    public void enableManagement(boolean enabled) {
        if (enabled) {
            JmxRegistration.register(configuration, configurationName);
        } else {
            JmxRegistration.unregister(configurationName);
        }
    }
}
