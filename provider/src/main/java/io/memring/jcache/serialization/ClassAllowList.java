package io.memring.jcache.serialization;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.cache.CacheException;

/**
 * The classes a cache may rebuild with Java serialization; everything else is refused before it is
 * instantiated. A class is allowed when it is
 * <ul>
 *   <li>one of the cache's configured key and value types, or a subclass of one that is not a JDK
 *       type (a {@code Cache<String, Shape>} reads {@code Circle}; a {@code Cache<String, Serializable>}
 *       adds nothing, since every gadget is {@code Serializable});</li>
 *   <li>a JDK value type: {@code String}, the boxed primitives, {@code Number}, {@code Enum} and the
 *       JDK's enums, everything in {@code java.time}, {@code BigInteger}/{@code BigDecimal}, {@code UUID},
 *       {@code Date}, and the concrete {@code java.util} collections and maps listed in
 *       {@link #JDK_VALUE_TYPES} (not everything under {@code java.util});</li>
 *   <li>matched by a pattern of the user's ({@code memring.serialization.allow}), written as in
 *       {@code jdk.serialFilter}: {@code com.acme.Order} (that class), {@code com.acme.*} (the classes of
 *       that package, nested classes included), {@code com.acme.**} (and of its subpackages),
 *       {@code com.acme.Order*} (names starting so).</li>
 * </ul>
 * Arrays are allowed when their element type is primitive, allowed, {@code Object} or
 * {@code Serializable} (their elements are checked one by one as they are read). Dynamic proxies are
 * never allowed. An untyped cache ({@code Object} keys and values) therefore reads JDK value types and
 * what the user lists, nothing else.
 */
public final class ClassAllowList {
    /** The setting that lists the user's patterns, comma-separated. */
    public static final String SETTING = "memring.serialization.allow";

    /** Concrete JDK classes (and the serial forms they write instead of themselves) read by default. */
    static final Set<String> JDK_VALUE_TYPES = Set.of(
            "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Character",
            "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Number",
            "java.lang.Enum",
            "java.math.BigInteger", "java.math.BigDecimal", "java.math.RoundingMode",
            "java.util.UUID", "java.util.Date", "java.util.Locale",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.Vector",
            "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.Hashtable",
            "java.util.IdentityHashMap", "java.util.EnumMap",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
            "java.util.EnumSet$SerializationProxy",
            "java.util.Arrays$ArrayList",
            // List.of, Set.of, Map.of and copyOf write this proxy; the filter also sees what it resolves to
            "java.util.CollSer", "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
            "java.util.ImmutableCollections$Set12", "java.util.ImmutableCollections$SetN",
            "java.util.ImmutableCollections$Map1", "java.util.ImmutableCollections$MapN",
            "java.util.RegularEnumSet", "java.util.JumboEnumSet",
            // HashMap and HashSet size their table through the filter as a Map.Entry[]
            "java.util.Map$Entry",
            "java.util.Collections$EmptyList", "java.util.Collections$EmptySet", "java.util.Collections$EmptyMap",
            "java.util.Collections$SingletonList", "java.util.Collections$SingletonSet", "java.util.Collections$SingletonMap",
            "java.util.Collections$UnmodifiableCollection", "java.util.Collections$UnmodifiableList",
            "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableSet",
            "java.util.Collections$UnmodifiableSortedSet", "java.util.Collections$UnmodifiableMap",
            "java.util.Collections$UnmodifiableSortedMap",
            "java.util.Collections$SynchronizedCollection", "java.util.Collections$SynchronizedList",
            "java.util.Collections$SynchronizedRandomAccessList", "java.util.Collections$SynchronizedSet",
            "java.util.Collections$SynchronizedMap",
            // TreeMap/TreeSet with Collections.reverseOrder()
            "java.util.Collections$ReverseComparator",
            "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentHashMap$Segment",
            "java.util.concurrent.locks.ReentrantLock", "java.util.concurrent.locks.ReentrantLock$Sync",
            "java.util.concurrent.locks.ReentrantLock$NonfairSync",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer",
            "java.util.concurrent.locks.AbstractOwnableSynchronizer",
            "java.util.concurrent.CopyOnWriteArrayList", "java.util.concurrent.TimeUnit");

    private final List<Class<?>> configured;
    private final List<String> patterns;

    private ClassAllowList(List<Class<?>> configured, List<String> patterns) {
        this.configured = List.copyOf(configured);
        this.patterns = List.copyOf(patterns);
    }

    /** JDK value types only: what a serializer reads when nobody told it more. */
    public static ClassAllowList jdkValueTypes() {
        return new ClassAllowList(List.of(), List.of());
    }

    /**
     * The allow list of a cache with these configured types and the user's comma-separated patterns
     * (the value of {@value #SETTING}; null or blank for none).
     *
     * @throws CacheException if a pattern is malformed (the message names the setting)
     */
    public static ClassAllowList forCache(Class<?> keyType, Class<?> valueType, String userPatterns) {
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> t : new Class<?>[] {keyType, valueType}) {
            if (t != null && t != Object.class && !types.contains(t)) {
                types.add(t);
            }
        }
        return new ClassAllowList(types, parse(userPatterns));
    }

    static List<String> parse(String userPatterns) {
        List<String> out = new ArrayList<>();
        if (userPatterns == null || userPatterns.isBlank()) {
            return out;
        }
        for (String raw : userPatterns.split(",")) {
            String p = raw.trim();
            if (p.isEmpty()) {
                continue;
            }
            String name = p.endsWith(".**") ? p.substring(0, p.length() - 3)
                    : p.endsWith("*") ? p.substring(0, p.length() - 1) : p;
            if (name.isEmpty() || name.contains("*") || !name.matches("[\\p{L}\\p{N}_$.]+") || name.startsWith(".")) {
                throw new CacheException(SETTING + ": '" + p + "' is not a class name or a pattern like com.acme.Order, "
                        + "com.acme.*, com.acme.** or com.acme.Order*");
            }
            out.add(p);
        }
        return out;
    }

    /** Returns whether instances of {@code c} (or, for an array, of its elements) may be read. */
    public boolean allows(Class<?> c) {
        if (c.isArray()) {
            Class<?> element = c.getComponentType();
            return element.isPrimitive() || element == Object.class || element == java.io.Serializable.class || allows(element);
        }
        if (java.lang.reflect.Proxy.isProxyClass(c)) {
            return false;
        }
        String name = c.getName();
        if (JDK_VALUE_TYPES.contains(name) || name.startsWith("java.time.") && name.indexOf('.', "java.time.".length()) < 0
                || c.isEnum() && isJdk(c)) {
            return true;
        }
        for (Class<?> t : configured) {
            if (t == c || !isJdk(t) && t.isAssignableFrom(c)) {
                return true;
            }
        }
        for (String p : patterns) {
            if (matches(p, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isJdk(Class<?> c) {
        ClassLoader l = c.getClassLoader();
        return l == null || l == ClassLoader.getPlatformClassLoader();
    }

    static boolean matches(String pattern, String className) {
        if (pattern.endsWith(".**")) {
            String pkg = pattern.substring(0, pattern.length() - 2); // keeps the dot
            return className.startsWith(pkg);
        }
        if (pattern.endsWith(".*")) {
            String pkg = pattern.substring(0, pattern.length() - 1);
            return className.startsWith(pkg) && className.indexOf('.', pkg.length()) < 0;
        }
        if (pattern.endsWith("*")) {
            return className.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return className.equals(pattern);
    }

    /** Says, for an error message, what this list lets through. */
    String describe() {
        StringBuilder b = new StringBuilder("JDK value types");
        configured.forEach(t -> b.append(", ").append(t.getName()));
        patterns.forEach(p -> b.append(", ").append(p));
        return b.toString();
    }
}
