package io.memring.jcache.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks each node what it is, with memcached's {@code version} command on a short-lived connection of
 * its own: a Memring node's reply contains {@code memring} ({@code VERSION 1.6.18-memring-0.1.0}); any
 * other reply is stock memcached. The reply is untrusted: one line of at most {@link #MAX_LINE} bytes.
 */
final class ServerKinds {
    /** What a node is; {@code UNKNOWN} when it did not answer (down, or not a memcached server). */
    enum Kind {
        MEMRING, STOCK, UNKNOWN
    }

    private static final int MAX_LINE = 256;
    private static final byte[] REQUEST = "version\r\n".getBytes(StandardCharsets.US_ASCII);

    private ServerKinds() {
    }

    /** Probes each node in turn, each within {@code timeoutMillis} (connect and reply). */
    static Map<InetSocketAddress, String> versions(List<InetSocketAddress> nodes, int timeoutMillis) {
        Map<InetSocketAddress, String> out = new LinkedHashMap<>();
        for (InetSocketAddress node : nodes) {
            out.put(node, version(node, timeoutMillis));
        }
        return out;
    }

    /** Returns the node's version line (without {@code VERSION }), or null if it gave none. */
    static String version(InetSocketAddress node, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(node, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write(REQUEST);
            s.getOutputStream().flush();
            String line = readLine(s.getInputStream());
            return line != null && line.startsWith("VERSION ") ? line.substring("VERSION ".length()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        byte[] buf = new byte[MAX_LINE];
        int n = 0;
        while (n < MAX_LINE) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                int end = n > 0 && buf[n - 1] == '\r' ? n - 1 : n;
                return new String(buf, 0, end, StandardCharsets.US_ASCII);
            }
            buf[n++] = (byte) b;
        }
        return null; // too long: not a version line
    }

    /** The kind a version reply names. */
    static Kind kindOf(String version) {
        if (version == null) {
            return Kind.UNKNOWN;
        }
        return version.contains("memring") ? Kind.MEMRING : Kind.STOCK;
    }
}
