package io.memring.jcache.configuration;

import io.memring.jcache.serialization.ClassAllowList;
import io.memring.jcache.serialization.SerializationFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import javax.cache.CacheException;

/**
 * Where a CacheManager's caches live and how to reach them. Sources, later ones winning: a properties
 * file named by the URI ({@code file:}, or {@code classpath:} resources), then the {@code Properties}
 * given to {@code getCacheManager}, then JVM system properties. Keys:
 * <ul>
 *   <li>{@code memring.servers}: "host:port,host:port"; empty or absent = an embedded node in this JVM</li>
 *   <li>{@code memring.requestTimeoutMillis} (default 2000), {@code memring.connectTimeoutMillis} (2000)</li>
 *   <li>{@code memring.failover}: {@code FAILOVER} (default) or {@code FAIL_FAST}</li>
 *   <li>{@code memring.embedded.memoryMb} (default 64): the embedded node's memory limit</li>
 *   <li>{@code memring.serialization.format}: {@code java} (default) or {@code compact}, for caches
 *       whose configuration names no serializer</li>
 *   <li>{@code memring.serialization.allow}: classes (patterns) Java deserialization may rebuild beyond
 *       each cache's configured types and the JDK value types</li>
 * </ul>
 *
 * @param servers the ring, or empty for embedded
 * @param requestTimeout per-request timeout
 * @param connectTimeout connect timeout
 * @param failover FAILOVER or FAIL_FAST
 * @param embeddedMemoryMb embedded node memory
 * @param serializationFormat the serializer of caches that name none
 * @param serializationAllow the user's allow-list patterns (comma-separated; empty for none)
 */
public record ProviderSettings(String servers, Duration requestTimeout, Duration connectTimeout, String failover,
                               int embeddedMemoryMb, SerializationFormat serializationFormat, String serializationAllow) {

    public static final String SERVERS = "memring.servers";
    public static final String SERIALIZATION_FORMAT = SerializationFormat.SETTING;
    public static final String SERIALIZATION_ALLOW = ClassAllowList.SETTING;

    public boolean embedded() {
        return servers == null || servers.isBlank();
    }

    /** Resolves settings for a CacheManager. */
    public static ProviderSettings resolve(URI uri, Properties given, ClassLoader loader) {
        Properties merged = new Properties();
        merged.putAll(fromUri(uri, loader));
        if (given != null) {
            merged.putAll(given);
        }
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("memring.")) {
                merged.setProperty(name, System.getProperty(name));
            }
        }
        return new ProviderSettings(
                merged.getProperty(SERVERS, "").trim(),
                Duration.ofMillis(longOf(merged, "memring.requestTimeoutMillis", 2000)),
                Duration.ofMillis(longOf(merged, "memring.connectTimeoutMillis", 2000)),
                merged.getProperty("memring.failover", "FAILOVER").trim(),
                (int) longOf(merged, "memring.embedded.memoryMb", 64),
                SerializationFormat.parse(merged.getProperty(SERIALIZATION_FORMAT)),
                allowPatterns(merged.getProperty(SERIALIZATION_ALLOW, "")));
    }

    /** Checks the patterns now, so that a typo fails when the CacheManager is made, not at a read. */
    private static String allowPatterns(String value) {
        ClassAllowList.forCache(null, null, value);
        return value.trim();
    }

    private static long longOf(Properties p, String key, long def) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new CacheException(key + " must be a number, not '" + v + "'");
        }
    }

    /** Reads the properties file a URI names, if it names one. */
    static Properties fromUri(URI uri, ClassLoader loader) {
        Properties p = new Properties();
        if (uri == null || uri.getScheme() == null) {
            return p;
        }
        try {
            switch (uri.getScheme()) {
                case "file" -> {
                    try (InputStream in = Files.newInputStream(Path.of(uri))) {
                        p.load(in);
                    }
                }
                case "classpath" -> {
                    String resource = uri.getSchemeSpecificPart().replaceFirst("^/+", "");
                    try (InputStream in = loader.getResourceAsStream(resource)) {
                        if (in == null) {
                            throw new CacheException("no resource " + resource + " for CacheManager URI " + uri);
                        }
                        p.load(in);
                    }
                }
                default -> {
                    // an identifying URI (e.g. memring://default): nothing to read
                }
            }
        } catch (IOException e) {
            throw new CacheException("cannot read configuration " + uri, e);
        }
        return p;
    }
}
