package io.memring.jcache.configuration;

import java.util.Properties;
import java.util.function.Function;
import javax.cache.CacheException;

/**
 * One provider setting: its key, its one default, what it means (the README table is checked against
 * these), and how a value is read and checked. A value that does not parse or is out of range is a
 * {@link CacheException} naming the key, when the CacheManager is created.
 *
 * @param <T> the type of the value
 */
public final class Setting<T> {
    private final String key;
    private final String defaultValue;
    private final String meaning;
    private final Function<String, T> parser;
    private final boolean secret;

    Setting(String key, String defaultValue, String meaning, Function<String, T> parser) {
        this(key, defaultValue, meaning, parser, false);
    }

    /** {@code secret}: a password; its value never appears in a message (see {@link #shown(String)}). */
    Setting(String key, String defaultValue, String meaning, Function<String, T> parser, boolean secret) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.meaning = meaning;
        this.parser = parser;
        this.secret = secret;
    }

    /** Returns whether the value is a secret (a password), never to be logged or shown. */
    public boolean secret() {
        return secret;
    }

    /** Returns the value as it may appear in a message or a log line: {@code ****} for a secret. */
    public String shown(String value) {
        return secret ? "****" : value;
    }

    public String key() {
        return key;
    }

    /** Returns the default as a user would write it ({@code ""} for none). */
    public String defaultValue() {
        return defaultValue;
    }

    /** Returns the one-line description, as in the README table. */
    public String meaning() {
        return meaning;
    }

    /** Returns the value set in {@code properties}, or the default; blank counts as unset. */
    public T read(Properties properties) {
        Object raw = properties.get(key);
        if (raw != null && !(raw instanceof String)) {
            throw new CacheException(key + " must be a string, not a " + raw.getClass().getName());
        }
        String text = raw == null || ((String) raw).isBlank() ? defaultValue : ((String) raw).trim();
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            // a secret's parse errors carry no value either: only the key and what is wrong
            throw secret ? new CacheException("bad value for " + key + ": " + e.getMessage())
                    : new CacheException("bad value for " + key + ": '" + text + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return key;
    }
}
