/**
 * The node a CachingProvider starts inside the JVM when no servers are configured, so zero-config
 * code works: loopback only, an ephemeral port, stopped when the provider closes.
 */
package io.memring.jcache.embedded;
