package io.memring.server.cli;

import io.memring.server.ServerConfig;
import io.memring.server.security.TlsSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * memcached's {@code -o name[=value],...} suboptions that the node understands, with memcached 1.6.18's
 * messages: {@code read_buf_mem_limit=MB} (connection read/response buffers, all connections; memcached's
 * 0 = unlimited is refused, the node's memory bound depends on it); {@code watch_buffer_bytes=N} (Memring's:
 * the output one mutation-stream subscriber may have pending before the node closes it, default 4 MB);
 * {@code watch_total_bytes=N} (Memring's: the output all subscribers together may have pending before the
 * node closes those holding more than an equal share, default 64 MB);
 * {@code resp_obj_mem_limit} is
 * accepted with memcached's deprecation notice and ignored; the TLS settings {@code ssl_chain_cert},
 * {@code ssl_key}, {@code ssl_ca_cert}, {@code ssl_verify_mode} (0-3), {@code ssl_min_version} (2/3, or
 * tlsv1.2/tlsv1.3), {@code ssl_keyformat} (1 = PEM only); {@code ssl_ciphers}, {@code ssl_wbuf_size},
 * {@code ssl_session_cache} and {@code ssl_kernel_tls} are accepted and ignored with a note (OpenSSL
 * settings with no JDK equivalent); {@code idle_timeout=N} (seconds, read with {@code atoi} as
 * memcached); anything else is an illegal suboption.
 */
final class ExtendedOptions {
    private long readBufMemLimit = ServerConfig.DEFAULT_BUFFER_BUDGET;
    private int idleTimeout;
    private long watchBufferBytes = ServerConfig.DEFAULT_WATCH_BUFFER;
    private long watchTotalBytes = ServerConfig.DEFAULT_WATCH_TOTAL;
    Path sslChainCert;
    Path sslKey;
    Path sslCaCert;
    TlsSettings.VerifyMode sslVerifyMode = TlsSettings.VerifyMode.NONE;
    TlsSettings.MinVersion sslMinVersion = TlsSettings.MinVersion.TLS1_2;

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
                case "watch_buffer_bytes" -> o.watchBufferBytes = bytes(name, value);
                case "watch_total_bytes" -> o.watchTotalBytes = bytes(name, value);
                case "resp_obj_mem_limit" -> err.println("DEPRECATED: resp_obj_mem_limit no longer used. See read_buf_mem_limit,");
                case "ssl_chain_cert" -> o.sslChainCert = path(name, value);
                case "ssl_key" -> o.sslKey = path(name, value);
                case "ssl_ca_cert" -> o.sslCaCert = path(name, value);
                case "ssl_verify_mode" -> o.sslVerifyMode = verifyMode(value);
                case "ssl_min_version" -> o.sslMinVersion = minVersion(name, value);
                case "ssl_keyformat" -> {
                    if (!"1".equals(value)) {
                        throw new IllegalArgumentException("ssl_keyformat: only 1 (PEM) is supported");
                    }
                }
                case "ssl_ciphers", "ssl_wbuf_size", "ssl_session_cache", "ssl_kernel_tls" ->
                        err.println("memring-server: ignoring " + name + " (an OpenSSL setting; the JDK's TLS defaults apply)");
                default -> throw new IllegalArgumentException("Illegal suboption \"" + option + "\"");
            }
        }
        return o;
    }

    private static Path path(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("Missing " + name + " argument");
        }
        return Path.of(value);
    }

    private static TlsSettings.VerifyMode verifyMode(String value) {
        try {
            return TlsSettings.VerifyMode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid ssl_verify_mode. Use help to see valid options.");
        }
    }

    private static TlsSettings.MinVersion minVersion(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException("could not parse argument to " + name);
        }
        return TlsSettings.MinVersion.parse(value); // its message says which values are valid
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

    private static long bytes(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException("Missing " + name + " argument");
        }
        try {
            long n = Long.parseLong(value);
            if (n >= 1024 && n <= (1L << 40)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // same message as out of range
        }
        throw new IllegalArgumentException(name + " must be a number of bytes between 1024 and 2^40");
    }

    /** Returns {@code config} with these options applied. */
    ServerConfig applyTo(ServerConfig config) {
        return config.withBufferBudget(readBufMemLimit).withWatchBufferBytes(watchBufferBytes).withWatchTotalBytes(watchTotalBytes);
    }
}
