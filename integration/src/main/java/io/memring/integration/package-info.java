/**
 * The integration fixture shared by the client's and the provider's tests: {@link
 * io.memring.integration.Cluster}, a few Memring nodes (in this JVM or as processes) or stock memcached
 * processes on loopback. Test scope only; depends on the node and on {@code io.memring.testing}, never
 * on the client or the provider, so any module's tests can use it.
 */
package io.memring.integration;
