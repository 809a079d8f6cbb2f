package io.memring.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 (ephemeral port) to one target, for fault tests: {@link #dropAll()} cuts
 * every connection it carries at once (both sides see the connection reset: data in flight is lost),
 * and while {@link #refuse(boolean) refusing}, new connections are accepted and closed at once. At
 * most 64 connections alive; every socket and thread ends with {@link #close()}.
 */
public final class DroppingProxy implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 64;
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket[]> pairs = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;
    private volatile boolean closed;
    /** Connections accepted, and connections cut (by {@link #dropAll()} or refused). */
    public final AtomicLong accepted = new AtomicLong();
    public final AtomicLong dropped = new AtomicLong();

    public DroppingProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        start(this::acceptLoop, "proxy-accept");
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Returns {@code 127.0.0.1:port}. */
    public String spelled() {
        return "127.0.0.1:" + port();
    }

    private void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (refusing || pairs.size() >= MAX_CONNECTIONS) {
                dropped.incrementAndGet();
                reset(client);
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(target, 2000);
            } catch (IOException e) {
                reset(client);
                closeQuietly(server);
                continue;
            }
            Socket[] pair = {client, server};
            pairs.add(pair);
            start(() -> pump(pair, client, server), "proxy-up");
            start(() -> pump(pair, server, client), "proxy-down");
        }
    }

    private void pump(Socket[] pair, Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // cut, or the other side went away
        } finally {
            pairs.remove(pair);
            closeQuietly(pair[0]);
            closeQuietly(pair[1]);
        }
    }

    /** Cuts every connection now (a reset on both sides). */
    public void dropAll() {
        for (Socket[] pair : pairs) {
            dropped.incrementAndGet();
            reset(pair[0]);
            reset(pair[1]);
        }
    }

    /** While true, new connections are closed as soon as accepted (the target looks unreachable). */
    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** Returns how many connections are being carried now. */
    public int connections() {
        return pairs.size();
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // close with RST: nothing buffered is delivered
        } catch (IOException ignored) {
            // closing anyway
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        dropAll();
        for (Thread t : threads) {
            t.join(5000);
        }
    }
}
