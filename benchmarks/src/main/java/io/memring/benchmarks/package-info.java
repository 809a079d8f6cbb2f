/**
 * Benchmark programs. Each measures Memring and a peer (stock memcached, …) in the same run on the
 * same machine and reports the ratio; none of them runs as part of the test suite.
 */
package io.memring.benchmarks;
