package io.memring.jcache.management;

import java.lang.management.ManagementFactory;
import javax.cache.CacheException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** Registers and unregisters a cache's MXBeans under the spec's object names. */
public final class JmxRegistration {
    /** The two kinds of cache MXBean. */
    public enum Kind {
        CacheConfiguration, CacheStatistics
    }

    private JmxRegistration() {
    }

    public static ObjectName name(Kind kind, String cacheManagerUri, String cacheName) {
        try {
            return new ObjectName("javax.cache:type=" + kind + ",CacheManager=" + safe(cacheManagerUri) + ",Cache=" + safe(cacheName));
        } catch (MalformedObjectNameException e) {
            throw new CacheException("bad JMX name for cache " + cacheName, e);
        }
    }

    /**
     * The near cache's bean: {@code io.memring:type=NearCache,CacheManager=..,Cache=..}, outside the
     * {@code javax.cache} domain, which holds only the spec's two kinds.
     */
    public static ObjectName nearCacheName(String cacheManagerUri, String cacheName) {
        return memringName("NearCache", cacheManagerUri, cacheName);
    }

    /**
     * The counts of events from other JVMs: {@code io.memring:type=RemoteEvents,CacheManager=..,Cache=..},
     * named like the spec's beans but in Memring's domain, as the near cache's.
     */
    public static ObjectName remoteEventsName(String cacheManagerUri, String cacheName) {
        return memringName("RemoteEvents", cacheManagerUri, cacheName);
    }

    private static ObjectName memringName(String type, String cacheManagerUri, String cacheName) {
        try {
            return new ObjectName("io.memring:type=" + type + ",CacheManager=" + safe(cacheManagerUri) + ",Cache=" + safe(cacheName));
        } catch (MalformedObjectNameException e) {
            throw new CacheException("bad JMX name for cache " + cacheName, e);
        }
    }

    private static String safe(String s) {
        return s == null ? "" : s.replaceAll(":|=|\n|,", ".");
    }

    public static void register(Object bean, ObjectName name) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (!server.isRegistered(name)) {
                server.registerMBean(bean, name);
            }
        } catch (Exception e) {
            throw new CacheException("cannot register " + name, e);
        }
    }

    public static void unregister(ObjectName name) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (InstanceNotFoundException ignored) {
            // already gone
        } catch (Exception e) {
            throw new CacheException("cannot unregister " + name, e);
        }
    }
}
