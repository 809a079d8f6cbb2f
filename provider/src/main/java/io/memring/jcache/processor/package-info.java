/**
 * Entry processors: {@link io.memring.jcache.processor.ProcessorEntry} records what a processor did to
 * its entry (nothing, read, load, create, update, remove) so the cache can apply exactly that, with
 * the matching expiry, writer, event and statistics rules, in one conditional write;
 * {@link io.memring.jcache.processor.EntryProcessors} runs processors with the spec's exception rules
 * and collects {@code invokeAll}'s per-key results.
 */
package io.memring.jcache.processor;
