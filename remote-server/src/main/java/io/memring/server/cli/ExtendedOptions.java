package io.memring.server.cli;

import io.memring.server.ServerConfig;
import java.io.PrintStream;
import java.util.List;

/**
 * memcached's {@code -o name[=value],...} suboptions that the node understands, with memcached 1.6.18's
 * messages: {@code read_buf_mem_limit=MB} (connection read/response buffers, all connections; memcached's
 * 0 = unlimited is refused, the node's memory bound depends on it); {@code resp_obj_mem_limit} is
 * accepted with memcached's deprecation notice and ignored; {@code idle_timeout=N} (seconds, read with
 * {@code atoi} as memcached); anything else is an illegal suboption.
 */
final class ExtendedOptions {
    private long readBufMemLimit = ServerConfig.DEFAULT_BUFFER_BUDGET;
    private int idleTimeout;

    private ExtendedOptions() {
    }

    /** Parses the suboptions; throws IllegalArgumentException with memcached's message for a bad one. */
    static ExtendedOptions parse(List<String> suboptions, PrintStream err) {
        ExtendedOptions o = new ExtendedOptions();
        for (String option : suboptions) {
            int eq = option.indexOf('=');
            String name = eq < 0 ? option : option.substring(0, eq);
            String value = eq < 0 ? null : option.substring(eq + 1);
            switch (name) {
                case "read_buf_mem_limit" -> o.readBufMemLimit = megabytes(name, value);
                case "idle_timeout" -> {
                    if (value == null) {
                        throw new IllegalArgumentException("Missing numeric argument for idle_timeout");
                    }
                    o.idleTimeout = ItemSize.atoi(value); // memcached: atoi, 0 (or less) = off
                }
                case "resp_obj_mem_limit" -> err.println("DEPRECATED: resp_obj_mem_limit no longer used. See read_buf_mem_limit,");
                default -> throw new IllegalArgumentException("Illegal suboption \"" + option + "\"");
            }
        }
        return o;
    }

    private static long megabytes(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException("Missing " + name + " argument");
        }
        long mb;
        try {
            mb = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("could not parse argument to " + name);
        }
        if (mb <= 0 || mb >= (1L << 32)) {
            throw new IllegalArgumentException(name + " must be between 1 and 4294967295 megabytes"
                    + " (memcached's 0, unlimited, would void the node's memory bound)");
        }
        return mb << 20;
    }

    /** Returns {@code -o idle_timeout} in seconds, 0 if not given. */
    int idleTimeout() {
        return Math.max(0, idleTimeout);
    }

    /** Returns {@code config} with these options applied. */
    ServerConfig applyTo(ServerConfig config) {
        return config.withBufferBudget(readBufMemLimit);
    }
}
