package io.memring.jcache.processor;

import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/** One key's outcome of {@code invokeAll}: a value, or the exception its processor threw. */
public final class ProcessorResult<T> implements EntryProcessorResult<T> {
    private final T value;
    private final RuntimeException failure;

    private ProcessorResult(T value, RuntimeException failure) {
        this.value = value;
        this.failure = failure;
    }

    public static <T> ProcessorResult<T> of(T value) {
        return new ProcessorResult<>(value, null);
    }

    public static <T> ProcessorResult<T> failed(RuntimeException e) {
        return new ProcessorResult<>(null, e instanceof EntryProcessorException ? e : new EntryProcessorException(e));
    }

    @Override
    public T get() {
        if (failure != null) {
            throw failure;
        }
        return value;
    }
}
