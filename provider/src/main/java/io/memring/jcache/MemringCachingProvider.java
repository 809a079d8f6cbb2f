package io.memring.jcache;

import io.memring.jcache.embedded.EmbeddedNode;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The provider behind {@code Caching.getCachingProvider()}: one CacheManager per (class loader, URI),
 * and, when no servers are configured, one embedded node shared by its managers until the provider
 * closes.
 */
public class MemringCachingProvider implements CachingProvider {
    /** The URI of the default CacheManager. */
    public static final URI DEFAULT_URI = URI.create("memring://default");

    private final Map<ClassLoader, Map<URI, MemringCacheManager>> managers = new WeakHashMap<>();
    private EmbeddedNode embedded;

    @Override
    public synchronized CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
        URI u = uri == null ? getDefaultURI() : uri;
        ClassLoader cl = classLoader == null ? getDefaultClassLoader() : classLoader;
        Properties p = properties == null ? new Properties() : properties;
        Map<URI, MemringCacheManager> byUri = managers.computeIfAbsent(cl, k -> new HashMap<>());
        MemringCacheManager m = byUri.get(u);
        if (m == null || m.isClosed()) {
            m = new MemringCacheManager(this, u, cl, p);
            byUri.put(u, m);
        }
        return m;
    }

    @Override
    public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
        return getCacheManager(uri, classLoader, getDefaultProperties());
    }

    @Override
    public CacheManager getCacheManager() {
        return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
    }

    @Override
    public ClassLoader getDefaultClassLoader() {
        return getClass().getClassLoader();
    }

    @Override
    public URI getDefaultURI() {
        return DEFAULT_URI;
    }

    @Override
    public Properties getDefaultProperties() {
        return new Properties();
    }

    /** Returns the embedded node, starting it on first use (the first CacheManager's sizes win). */
    synchronized EmbeddedNode embeddedNode(int memoryMb, int maxItemSizeKb) {
        if (embedded == null) {
            embedded = EmbeddedNode.start(memoryMb, maxItemSizeKb);
        }
        return embedded;
    }

    synchronized void release(MemringCacheManager manager) {
        Map<URI, MemringCacheManager> byUri = managers.get(manager.getClassLoader());
        if (byUri != null) {
            byUri.remove(manager.getURI(), manager);
            if (byUri.isEmpty()) {
                managers.remove(manager.getClassLoader());
            }
        }
    }

    /** Closes every CacheManager, then the embedded node, each even if an earlier one failed. */
    @Override
    public synchronized void close() {
        Closer closer = new Closer("the Memring provider");
        for (Map<URI, MemringCacheManager> byUri : managers.values().toArray(new Map[0])) {
            for (MemringCacheManager m : byUri.values().toArray(new MemringCacheManager[0])) {
                closer.run(m::close);
            }
        }
        managers.clear();
        if (embedded != null) {
            EmbeddedNode node = embedded;
            embedded = null;
            closer.run(node::close);
        }
        if (closer.failure() != null) {
            throw closer.failure();
        }
    }

    @Override
    public synchronized void close(ClassLoader classLoader) {
        ClassLoader cl = classLoader == null ? getDefaultClassLoader() : classLoader;
        Map<URI, MemringCacheManager> byUri = managers.get(cl);
        if (byUri != null) {
            for (MemringCacheManager m : byUri.values().toArray(new MemringCacheManager[0])) {
                m.close();
            }
        }
    }

    @Override
    public synchronized void close(URI uri, ClassLoader classLoader) {
        ClassLoader cl = classLoader == null ? getDefaultClassLoader() : classLoader;
        Map<URI, MemringCacheManager> byUri = managers.get(cl);
        if (byUri != null) {
            MemringCacheManager m = byUri.get(uri == null ? getDefaultURI() : uri);
            if (m != null) {
                m.close();
            }
        }
    }

    @Override
    public boolean isSupported(OptionalFeature feature) {
        return feature != OptionalFeature.STORE_BY_REFERENCE;
    }
}
