package io.memring.jcache.management;

import javax.management.ObjectName;

/**
 * A cache's two MXBeans and their registration: the configuration bean while management is enabled,
 * the statistics bean (and counting) while statistics are enabled, and with it the near cache's counts
 * ({@code io.memring:type=NearCache,...}) if the cache has one.
 */
public final class CacheMXBeans {
    private final CacheStatistics statistics;
    private final CacheConfigurationBean configuration;
    private final ObjectName statisticsName;
    private final ObjectName configurationName;
    private final Object nearStatistics;
    private final ObjectName nearStatisticsName;

    /** @param nearStatistics the near cache's MXBean, or null when the cache has none */
    public CacheMXBeans(CacheStatistics statistics, CacheConfigurationBean configuration, String cacheManagerUri, String cacheName,
                        Object nearStatistics) {
        this.statistics = statistics;
        this.nearStatistics = nearStatistics;
        this.nearStatisticsName = nearStatistics == null ? null : JmxRegistration.nearCacheName(cacheManagerUri, cacheName);
        this.configuration = configuration;
        this.statisticsName = JmxRegistration.name(JmxRegistration.Kind.CacheStatistics, cacheManagerUri, cacheName);
        this.configurationName = JmxRegistration.name(JmxRegistration.Kind.CacheConfiguration, cacheManagerUri, cacheName);
    }

    /** Turns statistics on or off, registering or unregistering their bean. */
    public void enableStatistics(boolean enabled) {
        statistics.setEnabled(enabled);
        if (enabled) {
            JmxRegistration.register(statistics, statisticsName);
            if (nearStatistics != null) {
                JmxRegistration.register(nearStatistics, nearStatisticsName);
            }
        } else {
            JmxRegistration.unregister(statisticsName);
            if (nearStatistics != null) {
                JmxRegistration.unregister(nearStatisticsName);
            }
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
