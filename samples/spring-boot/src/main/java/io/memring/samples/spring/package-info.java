/**
 * A Spring Boot application whose {@code @Cacheable} service caches on Memring through JCache, shared
 * by every instance pointed at the same nodes, with cache metrics in Actuator.
 */
package io.memring.samples.spring;
