package io.memring.jcache.serialization;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import javax.cache.CacheException;

/**
 * Reads one Java-serialized object from bytes that came from a node, which anyone able to write to a
 * node controls. Every class in the stream must pass the {@link ClassAllowList} before it is
 * instantiated (the JDK's {@link ObjectInputFilter} runs after the class is loaded, uninitialised, and
 * before any object of it exists), and the stream's shape is bounded: nesting depth, array lengths,
 * object references and bytes. Lengths and references are bounded by the input's own size, since a
 * well-formed stream spends at least a byte per element and per object.
 */
final class FilteredObjectInput {
    /**
     * Nesting deeper than this is refused: a deep chain of arrays or objects would exhaust the stack, and
     * hash sets sharing their members level by level ("SerialDOS") cost 2^depth hashCode calls to rebuild
     * from a few bytes per level (20 is the JDK's RMI registry filter's maxdepth).
     */
    static final int MAX_DEPTH = 20;
    /** The floor of the length and reference limits, for small streams of small collections. */
    static final int MIN_LIMIT = 1024;

    private FilteredObjectInput() {
    }

    /**
     * Returns the object in {@code bytes}.
     *
     * @throws CacheException naming the refused class or the exceeded limit, or if the stream is malformed
     */
    static Object read(byte[] bytes, ClassLoader loader, ClassAllowList allowed) {
        Check check = new Check(allowed, Math.max(MIN_LIMIT, 2L * bytes.length), bytes.length);
        try (LoaderObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            // The JVM-wide jdk.serialFilter, if any, still applies: both must allow.
            ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
            in.setObjectInputFilter(global == null ? check : ObjectInputFilter.merge(check, global));
            return in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            if (check.refusal != null) {
                throw new CacheException(check.refusal, e);
            }
            throw new CacheException("cannot deserialize a cached value: " + e, e);
        }
    }

    /** The filter of one stream; remembers why it refused, since the JDK's exception does not say. */
    private static final class Check implements ObjectInputFilter {
        private final ClassAllowList allowed;
        private final long maxLengthAndRefs;
        private final long maxBytes;
        String refusal;

        Check(ClassAllowList allowed, long maxLengthAndRefs, long maxBytes) {
            this.allowed = allowed;
            this.maxLengthAndRefs = maxLengthAndRefs;
            this.maxBytes = maxBytes;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            if (info.depth() > MAX_DEPTH) {
                return refuse("a cached value nests deeper than " + MAX_DEPTH + " levels");
            }
            if (info.arrayLength() > maxLengthAndRefs) {
                return refuse("a cached value declares an array of " + info.arrayLength() + " elements in "
                        + maxBytes + " bytes");
            }
            if (info.references() > maxLengthAndRefs) {
                return refuse("a cached value holds more than " + maxLengthAndRefs + " object references");
            }
            if (info.streamBytes() > maxBytes) {
                return refuse("a cached value reads past its " + maxBytes + " bytes");
            }
            Class<?> c = info.serialClass();
            if (c != null && !allowed.allows(c)) {
                return refuse("a cached value holds a " + c.getName() + ", which this cache does not deserialize "
                        + "(it reads " + allowed.describe() + "); if the class is yours, add it to "
                        + ClassAllowList.SETTING);
            }
            return Status.ALLOWED;
        }

        private Status refuse(String why) {
            if (refusal == null) {
                refusal = why;
            }
            return Status.REJECTED;
        }
    }

    /** Resolves classes with the cache's class loader, as the spec asks; refuses dynamic proxies. */
    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(ByteArrayInputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }

        @Override
        protected Class<?> resolveProxyClass(String[] interfaces) throws InvalidClassException {
            throw new InvalidClassException("a cached value holds a dynamic proxy, which is never deserialized");
        }
    }
}
