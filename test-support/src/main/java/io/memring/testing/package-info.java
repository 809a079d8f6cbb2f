/**
 * Test fixtures shared by the modules' integration tests: a stock memcached process, a Memring node in
 * its own JVM, and a raw socket client with bounded waits. Every process started here is stopped by
 * {@code close()}; everything binds to 127.0.0.1 on ephemeral ports. Not shipped in any product jar.
 */
package io.memring.testing;
