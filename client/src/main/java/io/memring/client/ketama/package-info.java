/**
 * Consistent hashing compatible with spymemcached's {@code KetamaNodeLocator} (KETAMA_HASH): MD5,
 * 160 points per node in groups of four per digest, node keys formatted as spymemcached formats
 * them. Depends on nothing but the JDK.
 */
package io.memring.client.ketama;
