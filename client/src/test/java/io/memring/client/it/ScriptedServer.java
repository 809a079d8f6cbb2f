package io.memring.client.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake memcached on loopback that answers {@code mn} and {@code mg} (always a miss) at once and
 * hands {@code lru_crawler metadump} to a script, so tests can make scans slow, silent or busy. At most
 * 20 connections; every socket and thread ends with {@link #close()}.
 */
final class ScriptedServer implements AutoCloseable {
    /** Answers one metadump request on {@code out}; {@code attempt} counts metadump requests from 1. */
    interface Scan {
        void answer(OutputStream out, int attempt) throws IOException, InterruptedException;
    }

    private final ServerSocket listener;
    private final Scan scan;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger scans = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();

    ScriptedServer(Scan scan) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.scan = scan;
        Thread acceptor = new Thread(this::accept, "scripted-accept");
        acceptor.setDaemon(true);
        threads.add(acceptor);
        acceptor.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
    }

    private void accept() {
        for (int i = 0; i < 20; i++) {
            try {
                Socket s = listener.accept();
                sockets.add(s);
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "scripted-conn");
                t.setDaemon(true);
                threads.add(t);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("mn")) {
                    reply(out, "MN\r\n");
                } else if (line.startsWith("mg ")) {
                    reply(out, "EN\r\n");
                } else if (line.equals("lru_crawler metadump all")) {
                    scan.answer(out, scans.incrementAndGet());
                } else {
                    reply(out, "ERROR\r\n");
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client closed, or the test is over
        }
    }

    static void reply(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
        try {
            for (Thread t : threads) {
                t.interrupt();
                t.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
