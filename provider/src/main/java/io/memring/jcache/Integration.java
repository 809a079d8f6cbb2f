package io.memring.jcache;

import java.util.Collection;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * Read-through and write-through: calls the configured loader/writer and translates their failures
 * into the spec's exceptions. A missing loader/writer (or read/write-through off) makes every call a
 * no-op.
 */
final class Integration<K, V> {
    private final CacheLoader<K, V> loader;
    private final CacheWriter<? super K, ? super V> writer;
    private final boolean readThrough;

    Integration(CacheLoader<K, V> loader, CacheWriter<? super K, ? super V> writer, boolean readThrough) {
        this.loader = loader;
        this.writer = writer;
        this.readThrough = readThrough;
    }

    /** Whether misses load through the loader (read-through on and a loader configured). */
    boolean readThrough() {
        return readThrough && loader != null;
    }

    boolean writeThrough() {
        return writer != null;
    }

    CacheLoader<K, V> loader() {
        return loader;
    }

    /** Closes the loader and writer if they hold resources (both tried; failures collected). */
    void close(Closer closer) {
        closer.close(loader).close(writer);
    }

    /** Loads one key (null if the loader has nothing). */
    V load(K key) {
        try {
            return loader.load(key);
        } catch (CacheLoaderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheLoaderException("CacheLoader failed for key " + key, e);
        }
    }

    Map<K, V> loadAll(Iterable<? extends K> keys) {
        try {
            return loader.loadAll(keys);
        } catch (CacheLoaderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheLoaderException("CacheLoader.loadAll failed", e);
        }
    }

    void write(K key, V value) {
        if (writer == null) {
            return;
        }
        try {
            writer.write(new MemringEntry<>(key, value));
        } catch (CacheWriterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheWriterException("CacheWriter failed for key " + key, e);
        }
    }

    void delete(K key) {
        if (writer == null) {
            return;
        }
        try {
            writer.delete(key);
        } catch (CacheWriterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheWriterException("CacheWriter failed to delete key " + key, e);
        }
    }

    /**
     * Writes many entries; entries the writer could not write stay in {@code entries}. Returns the
     * failure to rethrow after the successful ones are cached, or null.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    CacheWriterException writeAll(Collection<Cache.Entry<? extends K, ? extends V>> entries) {
        if (writer == null || entries.isEmpty()) {
            return null;
        }
        try {
            ((CacheWriter) writer).writeAll(entries);
            return null;
        } catch (CacheWriterException e) {
            return e;
        } catch (RuntimeException e) {
            return new CacheWriterException("CacheWriter.writeAll failed", e);
        }
    }

    /** Deletes many keys; keys the writer could not delete stay in {@code keys}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    CacheWriterException deleteAll(Collection<?> keys) {
        if (writer == null || keys.isEmpty()) {
            return null;
        }
        try {
            ((CacheWriter) writer).deleteAll(keys);
            return null;
        } catch (CacheWriterException e) {
            return e;
        } catch (RuntimeException e) {
            return new CacheWriterException("CacheWriter.deleteAll failed", e);
        }
    }
}
