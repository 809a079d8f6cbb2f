/** The node's command line: memcached's flags (picocli), parsed into a {@link io.memring.server.ServerConfig}. */
package io.memring.server.cli;
