/**
 * The client side of memcached's meta protocol: request encoding ({@link
 * io.memring.client.protocol.MetaRequests}), key encoding ({@link io.memring.client.protocol.Keys}) and
 * a response decoder with hard limits ({@link io.memring.client.protocol.MetaResponseDecoder}).
 * Depends on Netty's buffers and codec only.
 */
package io.memring.client.protocol;
