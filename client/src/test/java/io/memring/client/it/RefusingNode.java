package io.memring.client.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A fake Memring cluster node on loopback for routing tests: answers {@code stats repl_state} as
 * ready, {@code mn}, and meta {@code ms}/{@code md}/{@code mg} (non-quiet or quiet) from a map, except
 * that {@code refusal} may turn a key command down with a cluster error line (e.g. {@code SERVER_ERROR
 * not owner host:port}), in which case nothing is applied. Records every key it applied a write for.
 * At most 20 connections; every socket and thread ends with {@link #close()}.
 */
final class RefusingNode implements AutoCloseable {
    private final ServerSocket listener;
    private final Function<String, String> refusal;
    final ConcurrentHashMap<String, String> items = new ConcurrentHashMap<>();
    /** Keys of the writes applied here, in order, repeats included. */
    final List<String> applied = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** {@code refusal}: key -> the error line to answer (without CRLF), or null to serve it. */
    RefusingNode(Function<String, String> refusal) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.refusal = refusal;
        Thread acceptor = new Thread(this::accept, "refusing-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
    }

    String spelled() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    private void accept() {
        for (int i = 0; i < 20; i++) {
            try {
                Socket s = listener.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "refusing-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (b.size() > 4096) {
                throw new IOException("line too long");
            }
            b.write(c);
        }
        return null;
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            for (String line = readLine(in); line != null; line = readLine(in)) {
                String[] t = line.split(" ");
                StringBuilder reply = new StringBuilder();
                String data = null;
                if (t[0].equals("ms")) {
                    byte[] block = in.readNBytes(Integer.parseInt(t[2]) + 2);
                    data = new String(block, 0, block.length - 2, StandardCharsets.ISO_8859_1);
                }
                boolean quiet = line.matches(".* q( .*)?");
                String opaque = "";
                for (String f : t) {
                    if (f.startsWith("O")) {
                        opaque = " " + f;
                    }
                }
                switch (t[0]) {
                    case "mn" -> reply.append("MN\r\n");
                    case "stats" -> reply.append("STAT repl_state ready\r\nEND\r\n");
                    case "ms", "md", "mg" -> {
                        String refused = refusal.apply(t[1]);
                        if (refused != null) {
                            reply.append(refused).append("\r\n");
                        } else if (t[0].equals("ms")) {
                            items.put(t[1], data);
                            applied.add(t[1]);
                            reply.append(quiet ? "" : "HD" + opaque + "\r\n");
                        } else if (t[0].equals("md")) {
                            boolean had = items.remove(t[1]) != null;
                            applied.add(t[1]);
                            reply.append(had ? (quiet ? "" : "HD" + opaque + "\r\n") : "NF" + opaque + "\r\n");
                        } else {
                            String v = items.get(t[1]);
                            reply.append(v == null ? (quiet ? "" : "EN\r\n")
                                    : "VA " + v.length() + " f0 c1" + opaque + "\r\n" + v + "\r\n");
                        }
                    }
                    default -> reply.append("ERROR\r\n");
                }
                out.write(reply.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client closed, or the test is over
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
