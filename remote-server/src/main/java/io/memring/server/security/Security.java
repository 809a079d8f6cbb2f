package io.memring.server.security;

import java.nio.file.Path;
import java.util.List;

/**
 * A node's listeners, TLS and authentication settings, all off by default.
 *
 * @param tls {@code -Z} settings, or null for no TLS
 * @param authFile {@code -Y} file, or null for no authentication
 * @param listeners the {@code -l} entries; empty: one listener on the config's address and port
 * @param inter the {@code -l} value as given, for {@code stats settings} ({@code inter}); null when {@code -l} was not used
 */
public record Security(TlsSettings tls, Path authFile, List<Listener> listeners, String inter) {
    private static final Security NONE = new Security(null, null, List.of(), null);

    public Security {
        listeners = listeners == null ? List.of() : List.copyOf(listeners);
    }

    /** No TLS, no authentication, one listener. */
    public static Security none() {
        return NONE;
    }

    public Security withTls(TlsSettings t) {
        return new Security(t, authFile, listeners, inter);
    }

    public Security withAuthFile(Path file) {
        return new Security(tls, file, listeners, inter);
    }

    public Security withListeners(List<Listener> l, String spec) {
        return new Security(tls, authFile, l, spec);
    }

    public boolean tlsEnabled() {
        return tls != null;
    }
}
