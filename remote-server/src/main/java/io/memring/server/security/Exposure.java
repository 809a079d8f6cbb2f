package io.memring.server.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node exposes beyond this host, for the WARN it logs at startup: a listener on a non-loopback
 * address without TLS carries data (and any password) in clear text; without {@code -Y} or required client
 * certificates anyone who reaches it can read, overwrite and flush every cache. Pure: returns the messages.
 */
public final class Exposure {
    private Exposure() {
    }

    /**
     * Returns one message per exposed listener (none when all are on loopback or secured).
     *
     * @param clientCertsRequired {@code ssl_verify_mode} 2 or 3 with TLS on
     * @param clustered the node has peers (their links are not covered by these settings)
     */
    public static List<String> warnings(List<Listener> listeners, int[] boundPorts, boolean tlsEnabled, boolean auth,
                                        boolean clientCertsRequired, boolean clustered) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            Listener l = listeners.get(i);
            if (loopback(l.host())) {
                continue;
            }
            boolean tls = l.tls(tlsEnabled);
            boolean authenticated = auth || (tls && clientCertsRequired);
            String where = l.host() + ":" + boundPorts[i];
            if (!tls && !authenticated) {
                out.add("listening on " + where + " without TLS or authentication: anyone who can reach this port can read,"
                        + " overwrite and flush every cache, and traffic crosses the network in clear text"
                        + " (use -Z and -Y, or -l 127.0.0.1)" + peers(clustered));
            } else if (!tls) {
                out.add("listening on " + where + " without TLS: passwords (-Y) and cached data cross the network in clear text"
                        + " (use -Z)" + peers(clustered));
            } else if (!authenticated) {
                out.add("listening on " + where + " with TLS but no authentication: anyone who can reach this port can read,"
                        + " overwrite and flush every cache (use -Y, or -o ssl_verify_mode=2 with ssl_ca_cert)" + peers(clustered));
            }
        }
        return out;
    }

    private static String peers(boolean clustered) {
        return clustered ? "; keep peer links on a private network" : "";
    }

    /** Returns whether {@code host} is a loopback address (a name that does not resolve counts as exposed). */
    static boolean loopback(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
