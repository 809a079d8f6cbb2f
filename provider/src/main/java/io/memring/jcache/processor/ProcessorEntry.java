package io.memring.jcache.processor;

import java.util.function.Function;
import javax.cache.integration.CacheLoaderException;
import javax.cache.processor.MutableEntry;

/** The entry an {@code EntryProcessor} sees; see the package description. */
public final class ProcessorEntry<K, V> implements MutableEntry<K, V> {
    /** What the processor did, decided when it returns. */
    public enum Operation {
        NONE, ACCESS, LOAD, CREATE, UPDATE, REMOVE
    }

    private final K key;
    private final V existing;
    private final Function<K, V> loader;
    private V value;
    private Operation operation = Operation.NONE;

    /**
     * @param existing the live value, or null if absent or expired
     * @param loader read-through loader, or null when read-through is off
     */
    public ProcessorEntry(K key, V existing, Function<K, V> loader) {
        this.key = key;
        this.existing = existing;
        this.loader = loader;
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        if (operation == Operation.NONE) {
            value = existing;
        }
        if (value != null) {
            if (operation == Operation.NONE) {
                operation = Operation.ACCESS;
            }
        } else if (loader != null && operation == Operation.NONE) {
            try {
                value = loader.apply(key);
            } catch (CacheLoaderException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new CacheLoaderException("CacheLoader failed", e);
            }
            if (value != null) {
                operation = Operation.LOAD;
            }
        }
        return value;
    }

    @Override
    public boolean exists() {
        return (operation == Operation.NONE && existing != null) || value != null;
    }

    @Override
    public void remove() {
        operation = operation == Operation.CREATE || operation == Operation.LOAD ? Operation.NONE : Operation.REMOVE;
        value = null;
    }

    @Override
    public void setValue(V v) {
        if (v == null) {
            throw new NullPointerException("value");
        }
        operation = existing == null ? Operation.CREATE : Operation.UPDATE;
        value = v;
    }

    public Operation operation() {
        return operation;
    }

    /** Returns the value to store after CREATE, LOAD or UPDATE. */
    public V newValue() {
        return value;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        throw new IllegalArgumentException("cannot unwrap an entry processor entry to " + clazz.getName());
    }
}
