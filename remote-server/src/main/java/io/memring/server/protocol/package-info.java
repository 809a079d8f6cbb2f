/**
 * memcached's text and meta protocols, server side.
 *
 * <p>{@link io.memring.server.protocol.MemcachedFrameDecoder} owns framing (command lines, data blocks,
 * swallowing, line limits, output back-pressure) and knows no command; {@link
 * io.memring.server.protocol.CommandDispatcher} routes a tokenized line to {@link
 * io.memring.server.protocol.TextCommands} or {@link io.memring.server.protocol.MetaCommands}, which
 * run it against {@link io.memring.server.storage.Storage} and write the reply bytes.
 *
 * <p>Memory: the framing layer stops reading a connection whose output is not drained, streams get
 * lines too long to buffer, and pays large data blocks and large reply values from the node-wide
 * {@link io.memring.server.net.MemoryBudget}s, answering memcached's out-of-memory errors when they are
 * spent (the bound is documented in the module README).
 *
 * <p>Replies and error strings are byte-for-byte memcached 1.6's (checked side by side against a stock
 * memcached in {@code DifferentialProtocolIT}). Deliberate differences are listed in the module README.
 * Malformed input never throws out of a handler: it gets memcached's error reply or a clean close.
 */
package io.memring.server.protocol;
