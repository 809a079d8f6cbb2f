package io.memring.client;

/**
 * A hit: the value, memcached's 32-bit client flags and the item's CAS.
 *
 * @param value the stored bytes (owned by the caller)
 * @param flags client flags as stored
 * @param cas the item's CAS, for a later compare-and-set
 */
public record GetResult(byte[] value, int flags, long cas) {
}
