package io.memring.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/** A plain socket for sending exact bytes and reading replies, with bounded waits. */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean closedByServer;

    public RawClient(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    /** Wraps a connected socket (e.g. an {@link javax.net.ssl.SSLSocket} whose handshake is done). */
    public RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(50);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /**
     * Connects over TLS to 127.0.0.1:{@code port} with {@code context} (see {@link TestCertificates#clientContext})
     * and completes the handshake within 10 s; an {@link javax.net.ssl.SSLException} says the server refused it.
     * With TLS 1.3 a server that refuses the client's certificate says so only at the first read: the
     * client then sees the connection closed.
     */
    public static RawClient tls(int port, javax.net.ssl.SSLContext context) throws IOException {
        javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        try {
            javax.net.ssl.SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the server's certificate must name 127.0.0.1
            s.setSSLParameters(p);
            s.setSoTimeout(10_000);
            s.startHandshake();
            return new RawClient(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Returns the socket (e.g. to read an SSLSocket's session). */
    public Socket socket() {
        return socket;
    }

    public RawClient send(String s) throws IOException {
        return send(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads until the received text ends with {@code suffix}, the server closes, or {@code millis} pass. */
    public String readUntil(String suffix, long millis) throws IOException {
        return readUntil(text -> text.endsWith(suffix), millis);
    }

    /** Reads whatever arrives within {@code millis}. */
    public String readFor(long millis) throws IOException {
        return readUntil(text -> false, millis);
    }

    /** Reads until {@code part} was received {@code times} times, the server closes, or {@code millis} pass. */
    public String readUntilCount(String part, int times, long millis) throws IOException {
        return readUntil(text -> occurrences(text, part) >= times, millis);
    }

    private String readUntil(Predicate<String> done, long millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        byte[] buf = new byte[65536];
        while (System.currentTimeMillis() < deadline && !closedByServer && !done.test(text())) {
            try {
                int n = in.read(buf);
                if (n < 0) {
                    closedByServer = true;
                } else {
                    received.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // keep waiting until the deadline
            } catch (IOException e) {
                closedByServer = true; // reset by peer counts as closed
            }
        }
        return text();
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    public String text() {
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    public boolean closedByServer() {
        return closedByServer;
    }

    /** Sends a request and returns the reply text once it ends with {@code suffix}. */
    public String roundTrip(String request, String suffix) throws IOException {
        received.reset();
        send(request);
        return readUntil(suffix, 5000);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
