package io.memring.jcache.management;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.ObjectName;

/**
 * A cache's MXBeans and their registration: the configuration bean while management is enabled,
 * the statistics bean (and counting) while statistics are enabled, and with it Memring's own counts
 * ({@code io.memring:type=NearCache,...} if the cache has a near cache, {@code io.memring:type=RemoteEvents,...}
 * if it hears other JVMs).
 */
public final class CacheMXBeans {
    private final CacheStatistics statistics;
    private final CacheConfigurationBean configuration;
    private final ObjectName statisticsName;
    private final ObjectName configurationName;
    /** Beans registered with the statistics bean, by name. */
    private final Map<ObjectName, Object> withStatistics = new LinkedHashMap<>();

    /**
     * @param nearStatistics the near cache's MXBean, or null when the cache has none
     * @param remoteEvents the remote events' MXBean, or null when the cache hears no other JVM
     */
    public CacheMXBeans(CacheStatistics statistics, CacheConfigurationBean configuration, String cacheManagerUri, String cacheName,
                        Object nearStatistics, Object remoteEvents) {
        this.statistics = statistics;
        this.configuration = configuration;
        this.statisticsName = JmxRegistration.name(JmxRegistration.Kind.CacheStatistics, cacheManagerUri, cacheName);
        this.configurationName = JmxRegistration.name(JmxRegistration.Kind.CacheConfiguration, cacheManagerUri, cacheName);
        if (nearStatistics != null) {
            withStatistics.put(JmxRegistration.nearCacheName(cacheManagerUri, cacheName), nearStatistics);
        }
        if (remoteEvents != null) {
            withStatistics.put(JmxRegistration.remoteEventsName(cacheManagerUri, cacheName), remoteEvents);
        }
    }

    /** Turns statistics on or off, registering or unregistering their beans. */
    public void enableStatistics(boolean enabled) {
        statistics.setEnabled(enabled);
        if (enabled) {
            JmxRegistration.register(statistics, statisticsName);
            withStatistics.forEach((name, bean) -> JmxRegistration.register(bean, name));
        } else {
            JmxRegistration.unregister(statisticsName);
            withStatistics.keySet().forEach(JmxRegistration::unregister);
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
