package io.memring.samples.plain;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.integration.CacheLoader;

/**
 * A read-through loader: country codes to English names. It stands for a slow source (a database, a
 * web service), so it counts its calls. Serializable because {@code FactoryBuilder.factoryOf(instance)}
 * requires it.
 */
public final class CountryNames implements CacheLoader<String, String>, Serializable {
    private static final long serialVersionUID = 1L;
    private static final AtomicInteger LOADS = new AtomicInteger();

    @Override
    public String load(String code) {
        LOADS.incrementAndGet();
        String name = new Locale("", code).getDisplayCountry(Locale.ENGLISH);
        return name.isEmpty() || name.equals(code) ? null : name; // null: no mapping, nothing cached
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> codes) {
        Map<String, String> out = new HashMap<>();
        for (String code : codes) {
            String name = load(code);
            if (name != null) {
                out.put(code, name);
            }
        }
        return out;
    }

    /** Returns how many keys were loaded so far in this JVM. */
    public static int loads() {
        return LOADS.get();
    }
}
