/**
 * The node's command line: memcached's flags (picocli), parsed into a {@link io.memring.server.ServerConfig}
 * with memcached's words and exit statuses for what it refuses ({@code ItemSize} for {@code -I},
 * {@code Privileges} for {@code -u}, {@code PidFile} for {@code -P}). What a JVM cannot do itself
 * (switch user, fork) is done by {@code bin/memring-server}.
 */
package io.memring.server.cli;
