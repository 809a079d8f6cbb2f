/**
 * Test fixtures shared by the modules' integration tests: a stock memcached process, a Memring node in
 * its own JVM (both can be paused with SIGSTOP, see {@link io.memring.testing.Signals}), and a raw socket
 * client with bounded waits, and {@link io.memring.testing.TestCertificates} (a CA and PEM certificates made at
 * test time, with BouncyCastle, for TLS tests: no key is committed). It depends on no Memring module, so every module's tests can use it; the
 * cluster fixture that also runs in-process nodes is {@code io.memring.integration.Cluster} in the
 * {@code integration} module. Every process started here is stopped by
 * {@code close()}; everything binds to 127.0.0.1 on ephemeral ports. Not shipped in any product jar.
 */
package io.memring.testing;
