package io.memring.samples.spring;

import java.io.Serializable;

/**
 * What the service returns and the cache holds. Cached values are Java-serialized, and the provider
 * reads back only classes it is told about: {@code memring.serialization.allow} names this one.
 */
public record Book(String isbn, String title) implements Serializable {
}
