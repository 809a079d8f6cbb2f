/**
 * Entry processors: {@link io.memring.jcache.processor.ProcessorEntry} records what a processor did to
 * its entry (nothing, read, load, create, update, remove) so the cache can apply exactly that, with
 * the matching expiry, writer, event and statistics rules, in one conditional write.
 */
package io.memring.jcache.processor;
