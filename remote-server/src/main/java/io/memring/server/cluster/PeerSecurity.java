package io.memring.server.cluster;

import io.memring.client.security.ClientTls;
import io.memring.client.security.ConnectionSetup;
import io.memring.client.security.Credentials;
import io.memring.server.security.Security;
import io.memring.server.security.ServerSslContexts;
import io.memring.server.security.TlsSettings;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * How this node's own connections to its peers are secured, and what it asks of peers connecting to
 * it. Outbound (replication links, liveness probes, catch-up pulls): with {@code -Z} they speak TLS,
 * presenting the node's certificate ({@code ssl_chain_cert}/{@code ssl_key}) as client certificate and
 * checking the peer's against {@code ssl_ca_cert} and the host name in {@code --peers}; with {@code -Y}
 * they authenticate first as the <b>first user of the node's auth file</b> (memcached's ASCII
 * authentication, the same as any client). Inbound: a {@code mr_peer_hello} is accepted only on an
 * authenticated connection: on a {@code -Y} node every connection that reaches the hello has
 * authenticated (the auth step sits before it); otherwise, on a {@code -Z} node whose verify mode asks
 * for client certificates, the connection must have presented one that {@code ssl_ca_cert} verified. A
 * node with neither has no way to tell peers from anyone and accepts the hello as before (a trusted
 * network only; the node warns at start when it listens beyond loopback). Immutable.
 */
public final class PeerSecurity {
    private static final PeerSecurity NONE = new PeerSecurity(null, null, false, false, List.of());
    /**
     * How long a connection's TLS handshake and authentication may take, whatever the caller's read
     * timeout: a liveness probe reads with 300 ms, and a handshake cut short on a busy machine would be
     * retried every probe interval, each retry a new handshake that makes the machine busier.
     */
    static final int SETUP_TIMEOUT_MILLIS = 3000;

    private final SslContext tls; // outbound client context, null without -Z
    private final Credentials credentials; // outbound, null without -Y
    private final boolean authFile; // -Y: every connection reaching the hello authenticated
    private final boolean clientCertificates; // -Z with verify mode >= 1: a hello needs a verified certificate
    private final List<String> protocols;

    private PeerSecurity(SslContext tls, Credentials credentials, boolean authFile, boolean clientCertificates,
            List<String> protocols) {
        this.tls = tls;
        this.credentials = credentials;
        this.authFile = authFile;
        this.clientCertificates = clientCertificates;
        this.protocols = protocols;
    }

    /** Plain peer connections, and a hello accepted from any connection (no TLS, no -Y). */
    public static PeerSecurity none() {
        return NONE;
    }

    /**
     * Builds the peer side of a node's {@code -Z}/{@code -Y} settings; a certificate, key or auth file
     * that cannot be used is an exception naming it.
     */
    public static PeerSecurity of(Security security) throws IOException, GeneralSecurityException {
        if (security.tls() == null && security.authFile() == null) {
            return NONE;
        }
        TlsSettings t = security.tls();
        SslContext tls = t == null ? null : ServerSslContexts.forPeerClient(t);
        Credentials credentials = security.authFile() == null ? null : firstUser(security.authFile());
        boolean certs = t != null && t.verifyMode() != TlsSettings.VerifyMode.NONE;
        return new PeerSecurity(tls, credentials, security.authFile() != null, certs,
                t == null ? List.of() : t.minVersion().protocols());
    }

    /** The first {@code user:password} of a memcached auth file (blank lines skipped). */
    static Credentials firstUser(Path authFile) throws IOException {
        for (String line : Files.readAllLines(authFile, StandardCharsets.UTF_8)) {
            String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (l.isEmpty()) {
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw new IOException("auth file " + authFile + ": its first entry is not user:password");
            }
            try {
                return Credentials.of(l.substring(0, colon), l.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IOException("auth file " + authFile + ": its first entry cannot be used by peer links: "
                        + e.getMessage());
            }
        }
        throw new IOException("auth file " + authFile + " has no entry for peer links to authenticate with");
    }

    public boolean tls() {
        return tls != null;
    }

    public boolean authenticates() {
        return credentials != null;
    }

    /** Returns the setup of a Netty peer connection (TLS handshake, then authentication). */
    public ConnectionSetup connectionSetup(Duration timeout) {
        return ConnectionSetup.of(tls, credentials, timeout);
    }

    /**
     * Whether a connection that sent {@code mr_peer_hello} has authenticated: the rule in the class
     * comment. Returns null when it has (or when the node has no way to authenticate peers), else why not.
     */
    public String refusesHello(ChannelPipeline pipeline) {
        if (authFile || !clientCertificates) {
            return null; // -Y: the auth step let it through; neither -Y nor client certificates: nothing to check
        }
        SslHandler ssl = pipeline.get(SslHandler.class);
        if (ssl == null) {
            return "unauthenticated: a plaintext connection, and peers authenticate with their TLS certificate";
        }
        try {
            if (ssl.engine().getSession().getPeerCertificates().length > 0) {
                return null; // verified against ssl_ca_cert by the handshake
            }
        } catch (SSLPeerUnverifiedException e) {
            // no certificate presented
        }
        return "unauthenticated: no client certificate";
    }

    /**
     * Opens a blocking connection to a peer (probes, pulls): TCP, then TLS with the handshake done, then
     * authentication; {@code timeoutMillis} bounds the connect and every read after the setup, which may
     * take up to {@link #SETUP_TIMEOUT_MILLIS}. The socket is closed on failure.
     */
    public Socket open(PeerAddress peer, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(peer.linkAddress(), timeoutMillis); // routed in fault tests (LinkRoutes); verified as peer.address()
            s.setSoTimeout(tls != null || credentials != null ? Math.max(timeoutMillis, SETUP_TIMEOUT_MILLIS) : timeoutMillis);
            s.setTcpNoDelay(true);
            if (tls != null) {
                SSLContext jdk = ClientTls.jdkContext(tls);
                SSLSocket ssl = (SSLSocket) jdk.getSocketFactory().createSocket(s, peer.address().getHostString(),
                        peer.address().getPort(), true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS"); // the peer's certificate must name its host in --peers
                params.setProtocols(protocols.toArray(String[]::new));
                ssl.setSSLParameters(params);
                ssl.startHandshake();
                s = ssl;
            }
            if (credentials != null) {
                authenticate(s, peer);
            }
            s.setSoTimeout(timeoutMillis);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** memcached's ASCII authentication on a blocking socket, only when the peer asks for it (as the client does). */
    private void authenticate(Socket s, PeerAddress peer) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write("version\r\n".getBytes(StandardCharsets.US_ASCII)); // as the client's ConnectionSetup
        out.flush();
        String first = line(in);
        if (first.startsWith("VERSION ")) {
            return;
        }
        if (!first.equals("CLIENT_ERROR unauthenticated")) {
            throw new IOException("peer " + peer + ": unexpected reply to version: " + abbreviate(first));
        }
        byte[] data = (credentials.user() + " " + credentials.password()).getBytes(StandardCharsets.UTF_8);
        out.write(("set auth 0 0 " + data.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write('\r');
        out.write('\n');
        out.flush();
        String reply = line(in);
        if (!reply.equals("STORED")) {
            throw new IOException("peer " + peer + " refused this node's credentials (user " + credentials.user() + "): "
                    + abbreviate(reply));
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 512; i++) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during authentication");
            }
            if (b == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) b);
        }
        throw new IOException("reply line too long during authentication");
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    @Override
    public String toString() {
        return "PeerSecurity[tls=" + (tls != null) + ", auth=" + (credentials == null ? "none" : credentials.user())
                + ", hello needs " + (authFile ? "-Y authentication" : clientCertificates ? "a client certificate" : "nothing") + "]";
    }
}
