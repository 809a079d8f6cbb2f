package io.memring.jcache.processor;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.cache.CacheException;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import javax.cache.processor.MutableEntry;

/** Running entry processors with the spec's exception rules. */
public final class EntryProcessors {
    private EntryProcessors() {
    }

    /**
     * Runs {@code processor} on {@code entry}: a {@link CacheException} it throws (including the
     * loader's and writer's) passes through, anything else becomes an {@link EntryProcessorException}.
     */
    public static <K, V, T> T process(EntryProcessor<K, V, T> processor, MutableEntry<K, V> entry, Object... arguments) {
        try {
            return processor.process(entry, arguments);
        } catch (CacheException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EntryProcessorException(e);
        }
    }

    /**
     * {@code invokeAll}: invokes each key, keeping each key's result or failure; keys whose processor
     * returned null are left out, as the spec says.
     */
    public static <K, T> Map<K, EntryProcessorResult<T>> invokeEach(Set<? extends K> keys, Function<K, T> invoke) {
        Map<K, EntryProcessorResult<T>> results = new HashMap<>();
        for (K key : keys) {
            try {
                T r = invoke.apply(key);
                if (r != null) {
                    results.put(key, ProcessorResult.of(r));
                }
            } catch (RuntimeException e) {
                results.put(key, ProcessorResult.failed(e));
            }
        }
        return results;
    }
}
