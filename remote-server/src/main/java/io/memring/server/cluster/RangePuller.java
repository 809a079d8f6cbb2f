package io.memring.server.cluster;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

/**
 * Copies the items of one peer that this node owns: {@code lru_crawler metadump all} for the keys
 * (memcached's format, so it works on any node), then pipelined {@code mg <key> b v f t c} in batches
 * for value, flags, remaining TTL and CAS. Blocking, on its own connection, with a read timeout; every
 * reply is checked and a malformed one ends the pull with an IOException. A stand-in until the
 * replication links' streaming pull exists.
 */
final class RangePuller {
    private static final int BATCH = 200;
    private static final int MAX_LINE = 8192;

    private final PeerAddress peer;
    private final int timeoutMillis;
    private final int maxValue;
    private final String fingerprint;
    private final PeerSecurity security;

    /**
     * @param fingerprint the cluster's peer fingerprint, said first ({@code mr_pull}) so the peer serves
     *     the pull while it catches up itself
     */
    RangePuller(PeerAddress peer, int timeoutMillis, int maxValue, String fingerprint, PeerSecurity security) {
        this.security = security;
        this.peer = peer;
        this.fingerprint = fingerprint;
        this.timeoutMillis = timeoutMillis;
        this.maxValue = maxValue;
    }

    /** Returns how many items the peer sent (whether or not the sink found them newer than its own). */
    int pull(Predicate<byte[]> mine, ReplicaSink sink) throws IOException {
        try (Socket s = security.open(peer, timeoutMillis)) {
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            out.write(("mr_pull " + fingerprint + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String hello = line(in);
            if (!hello.equals("OK")) {
                throw new IOException("pull refused: " + abbreviate(hello));
            }
            List<byte[]> keys = keys(in, out, mine);
            int stored = 0;
            for (int from = 0; from < keys.size(); from += BATCH) {
                List<byte[]> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
                for (byte[] k : batch) {
                    out.write(("mg " + Base64.getEncoder().encodeToString(k) + " b v f t c\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                for (byte[] k : batch) {
                    stored += item(in, k, sink) ? 1 : 0; // EN (gone since the dump) counts 0
                }
            }
            return stored;
        }
    }

    private static List<byte[]> keys(InputStream in, OutputStream out, Predicate<byte[]> mine) throws IOException {
        for (int attempt = 0; ; attempt++) {
            out.write("lru_crawler metadump all\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            List<byte[]> keys = new ArrayList<>();
            String line = line(in);
            if (line.startsWith("BUSY") && attempt < 20) {
                sleep(50); // someone else's crawl: try again a bounded number of times
                continue;
            }
            while (!line.equals("END")) {
                if (!line.startsWith("key=")) {
                    throw new IOException("unexpected metadump line: " + abbreviate(line));
                }
                int sp = line.indexOf(' ');
                String encoded = line.substring(4, sp < 0 ? line.length() : sp);
                byte[] key = URLDecoder.decode(encoded, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
                if (mine.test(key)) {
                    keys.add(key);
                }
                line = line(in);
            }
            return keys;
        }
    }

    private boolean item(InputStream in, byte[] key, ReplicaSink sink) throws IOException {
        String line = line(in);
        if (line.equals("EN")) {
            return false; // gone since the dump
        }
        if (line.startsWith("SERVER_ERROR not owner ")) {
            // The peer holds an orphan of it (written there while every owner was down) and answers
            // meta reads of keys it does not own with a refusal: not pulled here; the peer's link
            // resync ships it to the owners.
            return false;
        }
        if (!line.startsWith("VA ")) {
            throw new IOException("unexpected mg reply: " + abbreviate(line));
        }
        String[] tokens = line.split(" ");
        int size;
        int flags = 0;
        int ttl = -1;
        long cas = 0;
        try {
            size = Integer.parseInt(tokens[1]);
            for (int i = 2; i < tokens.length; i++) {
                String t = tokens[i];
                switch (t.isEmpty() ? ' ' : t.charAt(0)) {
                    case 'f' -> flags = (int) Long.parseLong(t.substring(1));
                    case 't' -> ttl = Integer.parseInt(t.substring(1));
                    case 'c' -> cas = Long.parseUnsignedLong(t.substring(1));
                    default -> { }
                }
            }
        } catch (NumberFormatException e) {
            throw new IOException("bad mg reply: " + abbreviate(line), e);
        }
        if (size < 0 || size > maxValue) {
            throw new IOException("value size out of range: " + size);
        }
        byte[] value = in.readNBytes(size);
        if (value.length != size || in.read() != '\r' || in.read() != '\n') {
            throw new IOException("truncated value");
        }
        sink.apply(key, value, flags, ttl, cas);
        return true;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (sb.length() < MAX_LINE) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) b);
        }
        throw new IOException("line over " + MAX_LINE + " bytes");
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
