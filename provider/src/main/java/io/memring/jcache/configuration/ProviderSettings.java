package io.memring.jcache.configuration;

import io.memring.client.ClientConfig;
import io.memring.client.FailoverPolicy;
import io.memring.jcache.serialization.ClassAllowList;
import io.memring.jcache.serialization.SerializationFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CacheManager's settings, read from one table ({@link #ALL}). Sources, later ones winning: a
 * properties file named by the URI, then the {@code Properties} given to {@code getCacheManager}, then
 * JVM system properties. The URI names a file when it is a {@code classpath:} resource or any URL the
 * JDK opens ({@code file:}, {@code jar:file:...!/memring.properties} as Spring and Hibernate pass a
 * packaged file, ...); a {@code memring:} URI or one without a scheme only identifies the
 * CacheManager. A named file that cannot be read is a {@link CacheException} naming the URI, never a
 * silent embedded node. Every value is checked when read. An unknown {@code memring.*} key in the file
 * or the {@code Properties} is refused (a {@link CacheException} naming the nearest known key); in
 * system properties, which other components share, it is logged at WARN. {@code memring.servers} set
 * but empty is refused: only its absence means the embedded node.
 *
 * @param servers the ring, or empty for the embedded node
 * @param requestTimeout per-request timeout
 * @param connectTimeout connect timeout
 * @param failover what a request for a down node's key does
 * @param embeddedMemoryMb the embedded node's memory limit
 * @param embeddedMaxItemSizeKb the embedded node's item size limit (the largest serialized entry)
 * @param serializationFormat the serializer of caches whose configuration names none
 * @param serializationAllow the user's allow-list patterns (comma-separated; empty for none)
 * @param nearCacheMaxEntries the near cache's size for caches whose configuration sets none (0 = no near cache)
 * @param nearCacheTtlMillis how long a near entry is served at most where invalidations cannot be trusted
 * @param remoteEvents whether entry listeners also hear other JVMs' changes (on rings that push them)
 * @param security TLS and authentication ({@link SecuritySettings})
 */
public record ProviderSettings(String servers, Duration requestTimeout, Duration connectTimeout, FailoverPolicy failover,
                               int embeddedMemoryMb, int embeddedMaxItemSizeKb, SerializationFormat serializationFormat, String serializationAllow,
                               int nearCacheMaxEntries, long nearCacheTtlMillis, boolean remoteEvents, SecuritySettings security) {
    private static final Logger log = LoggerFactory.getLogger(ProviderSettings.class);
    /** The namespace of every setting. */
    public static final String PREFIX = "memring.";

    public static final Setting<String> SERVERS = new Setting<>("memring.servers", "",
            "`host:port,host:port` (Memring nodes or stock memcached >= 1.6.10); absent: an embedded node private to this JVM; set but empty: an error",
            ProviderSettings::servers);
    // Timeouts default to the client's defaults: one number each, wherever it is read.
    public static final Setting<Duration> REQUEST_TIMEOUT = new Setting<>("memring.requestTimeoutMillis",
            Long.toString(ClientConfig.DEFAULT_REQUEST_TIMEOUT.toMillis()),
            "per-request timeout (milliseconds, 1 to 3600000)", v -> Duration.ofMillis(longIn(v, 1, 3_600_000)));
    public static final Setting<Duration> CONNECT_TIMEOUT = new Setting<>("memring.connectTimeoutMillis",
            Long.toString(ClientConfig.DEFAULT_CONNECT_TIMEOUT.toMillis()),
            "connect timeout (milliseconds, 1 to 3600000)", v -> Duration.ofMillis(longIn(v, 1, 3_600_000)));
    public static final Setting<FailoverPolicy> FAILOVER = new Setting<>("memring.failover", "FAILOVER",
            "`FAILOVER`: a down node's keys go to the next node; `FAIL_FAST`: `CacheException`",
            ProviderSettings::failoverPolicy);
    public static final Setting<Integer> EMBEDDED_MEMORY_MB = new Setting<>("memring.embedded.memoryMb", "64",
            "the embedded node's memory limit (MB, 1 to 1048576)", v -> (int) longIn(v, 1, 1_048_576));
    public static final Setting<Integer> EMBEDDED_MAX_ITEM_SIZE_KB = new Setting<>("memring.embedded.maxItemSizeKb", "1024",
            "the embedded node's largest entry (KB, 1 to 1048576; a node's `-I`): a larger one is refused", v -> (int) longIn(v, 1, 1_048_576));

    public static final Setting<SerializationFormat> SERIALIZATION_FORMAT = new Setting<>(SerializationFormat.SETTING, "java",
            "for caches whose configuration names no serializer: `java` (Java serialization, read through an allow-list filter) "
                    + "or `compact` (no Java serialization: strings, numbers, byte[], common JDK types)",
            SerializationFormat::parse);
    public static final Setting<String> SERIALIZATION_ALLOW = new Setting<>(ClassAllowList.SETTING, "",
            "classes (`com.acme.Order`) or patterns (`com.acme.*`) Java deserialization may rebuild beyond each cache's "
                    + "key/value types and the JDK value types",
            ProviderSettings::allowPatterns);
    public static final Setting<Boolean> REMOTE_EVENTS = new Setting<>("memring.events.remote", "true",
            "`true`: entry listeners also hear what other JVMs (other CacheManagers) do to the cache, asynchronously and at most "
                    + "once, where the nodes push changes (Memring nodes; never on stock memcached); `false`: only this "
                    + "CacheManager's operations; a cache's `MemringConfiguration.setRemoteEvents` overrides it",
            ProviderSettings::bool);

    /** The largest near cache a setting may ask for (entries). */
    public static final int NEAR_CACHE_MAX_ENTRIES_LIMIT = 100_000_000;
    public static final Setting<Integer> NEAR_CACHE_MAX_ENTRIES = new Setting<>("memring.nearCache.maxEntries", "0",
            "entries each cache keeps in this JVM's near cache (0 to " + NEAR_CACHE_MAX_ENTRIES_LIMIT + "; 0 = none); "
                    + "a cache's `MemringConfiguration.setNearCacheMaxEntries` wins",
            v -> (int) longIn(v, 0, NEAR_CACHE_MAX_ENTRIES_LIMIT));
    /** The longest a near entry may live, a day: beyond that a near cache would hide a stock ring's writes for too long. */
    public static final long NEAR_CACHE_TTL_LIMIT_MILLIS = 86_400_000;
    public static final Setting<Long> NEAR_CACHE_TTL = new Setting<>("memring.nearCache.ttlMillis", "5000",
            "a near entry installed while invalidations cannot be trusted (mode `BEST_EFFORT` or `NONE`: stock memcached) is "
                    + "dropped this long after it was installed (milliseconds, 1 to " + NEAR_CACHE_TTL_LIMIT_MILLIS + "): the "
                    + "staleness bound there; in mode `PUSH` (Memring nodes) an entry lives until invalidated, evicted by size or "
                    + "expired, with a safety net of 1 hour (or this value if longer)",
            v -> longIn(v, 1, NEAR_CACHE_TTL_LIMIT_MILLIS));

    /** Every setting, in the README's order. */
    public static final List<Setting<?>> ALL = Stream.concat(Stream.of(SERVERS, REQUEST_TIMEOUT, CONNECT_TIMEOUT, FAILOVER,
            EMBEDDED_MEMORY_MB, EMBEDDED_MAX_ITEM_SIZE_KB, SERIALIZATION_FORMAT, SERIALIZATION_ALLOW, NEAR_CACHE_MAX_ENTRIES,
            NEAR_CACHE_TTL, REMOTE_EVENTS), SecuritySettings.ALL.stream()).toList();

    public boolean embedded() {
        return servers.isBlank();
    }

    /** The scheme of URIs that only identify a CacheManager (the default one is {@code memring://default}). */
    public static final String IDENTIFYING_SCHEME = "memring";

    /** Resolves and checks the settings of a CacheManager. */
    public static ProviderSettings resolve(URI uri, Properties given, ClassLoader loader) {
        return of(effective(uri, given, loader));
    }

    /**
     * Returns the properties a CacheManager runs with: the URI's file, then {@code given}, then the
     * {@code memring.*} system properties, later ones winning; unknown keys refused as described above.
     */
    public static Properties effective(URI uri, Properties given, ClassLoader loader) {
        Properties merged = new Properties();
        Properties file = fromUri(uri, loader);
        refuseUnknown(file, "in " + uri);
        merged.putAll(file);
        if (given != null) {
            refuseUnknown(given, "in the CacheManager's properties");
            merged.putAll(given);
        }
        for (String name : System.getProperties().stringPropertyNames()) {
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            if (find(name) == null) {
                log.warn("ignoring system property {}: not a Memring setting ({})", name, suggestion(name));
                continue;
            }
            merged.setProperty(name, System.getProperty(name));
        }
        return merged;
    }

    /** Reads and checks every setting from {@code properties} (defaults for those absent). */
    public static ProviderSettings of(Properties properties) {
        Object servers = properties.get(SERVERS.key());
        if (servers instanceof String text && text.isBlank()) {
            throw new CacheException(SERVERS.key() + " is set but empty: name the nodes (host:port,host:port), or remove "
                    + SERVERS.key() + " altogether for an embedded node private to this JVM");
        }
        return new ProviderSettings(SERVERS.read(properties), REQUEST_TIMEOUT.read(properties), CONNECT_TIMEOUT.read(properties),
                FAILOVER.read(properties), EMBEDDED_MEMORY_MB.read(properties), EMBEDDED_MAX_ITEM_SIZE_KB.read(properties),
                SERIALIZATION_FORMAT.read(properties), SERIALIZATION_ALLOW.read(properties),
                NEAR_CACHE_MAX_ENTRIES.read(properties), NEAR_CACHE_TTL.read(properties), REMOTE_EVENTS.read(properties),
                SecuritySettings.of(properties));
    }

    /** Returns the setting with this key, or null. */
    public static Setting<?> find(String key) {
        for (Setting<?> s : ALL) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    private static void refuseUnknown(Properties properties, String where) {
        for (Object k : properties.keySet()) {
            if (k instanceof String key && key.startsWith(PREFIX) && find(key) == null) {
                throw new CacheException("unknown setting " + key + " " + where + ": " + suggestion(key));
            }
        }
    }

    /** "did you mean memring.x?" with the known key nearest by edit distance (case-insensitive). */
    static String suggestion(String key) {
        Setting<?> nearest = ALL.stream()
                .min(Comparator.comparingInt((Setting<?> s) -> editDistance(s.key().toLowerCase(Locale.ROOT), key.toLowerCase(Locale.ROOT))))
                .orElseThrow();
        return "did you mean " + nearest.key() + "? Known settings: "
                + ALL.stream().map(Setting::key).collect(Collectors.joining(", "));
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    private static String servers(String spec) {
        ClientConfig.parseServers(spec); // checks every host:port now, not at the first request
        return spec;
    }

    /** Checks the patterns now, so that a typo fails when the CacheManager is made, not at a read. */
    private static String allowPatterns(String value) {
        ClassAllowList.forCache(null, null, value);
        return value;
    }

    private static long longIn(String text, long min, long max) {
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number", e);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return v;
    }

    private static FailoverPolicy failoverPolicy(String text) {
        try {
            return FailoverPolicy.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be one of " + Arrays.toString(FailoverPolicy.values()), e);
        }
    }

    /** Reads the properties file a URI names, if it names one (see the class comment). */
    static Properties fromUri(URI uri, ClassLoader loader) {
        Properties p = new Properties();
        if (uri == null || uri.getScheme() == null || uri.getScheme().equalsIgnoreCase(IDENTIFYING_SCHEME)) {
            return p;
        }
        try (InputStream in = open(uri, loader)) {
            p.load(in);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CacheException c) {
                throw c;
            }
            throw new CacheException("cannot read the Memring configuration " + uri + ": " + e, e);
        }
        return p;
    }

    private static InputStream open(URI uri, ClassLoader loader) throws IOException {
        if (uri.getScheme().equalsIgnoreCase("classpath")) {
            String resource = uri.getSchemeSpecificPart().replaceFirst("^/+", "");
            InputStream in = loader.getResourceAsStream(resource);
            if (in == null) {
                throw new CacheException("cannot read the Memring configuration " + uri + ": no resource " + resource
                        + " on the class path of " + loader);
            }
            return in;
        }
        URL url = uri.toURL(); // MalformedURLException (a subclass of IOException) for a scheme the JDK cannot open
        URLConnection connection = url.openConnection();
        connection.setUseCaches(false); // a jar: URL must not keep the jar file open behind us
        return connection.getInputStream();
    }
}
