package io.memring.client.watch;

import io.memring.client.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Decodes a subscription stream into {@link WatchLine}s, trusting nothing: a line longer than
 * {@value #MAX_LINE} bytes, an unknown line, a bad number, bad base64, a key over 250 bytes, a value
 * longer than the client's limit or a data block not ending in CRLF is a {@link ProtocolException},
 * after which the rest of the input is dropped (the connection is closed by the handler). Memory held is
 * at most one line plus one event's two values.
 */
final class WatchStreamDecoder extends ByteToMessageDecoder {
    static final int MAX_LINE = 2048;
    private static final int MAX_KEY = 250;

    private final int maxValueLength;
    private WatchLine.Event pending;
    private int pendingOld = -1;
    private int pendingNew = -1;
    private boolean failed;

    WatchStreamDecoder(int maxValueLength) {
        this.maxValueLength = maxValueLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            decodeAll(in, out);
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeAll(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (pending != null) {
                int need = Math.max(0, pendingOld) + Math.max(0, pendingNew) + 2;
                if (in.readableBytes() < need) {
                    return;
                }
                byte[] o = pendingOld < 0 ? null : new byte[pendingOld];
                byte[] n = pendingNew < 0 ? null : new byte[pendingNew];
                if (o != null) {
                    in.readBytes(o);
                }
                if (n != null) {
                    in.readBytes(n);
                }
                if (in.readByte() != '\r' || in.readByte() != '\n') {
                    throw new ProtocolException("watch data block not terminated by CRLF");
                }
                WatchLine.Event e = pending;
                pending = null;
                out.add(new WatchLine.Event(e.seq(), e.kind(), e.key(), e.version(), e.origin(), e.flags(), e.exptime(), o, n,
                        e.oldFlags()));
                continue;
            }
            int eol = in.forEachByte(in.readerIndex(), Math.min(in.readableBytes(), MAX_LINE + 2), ByteProcessor.FIND_LF);
            if (eol < 0) {
                if (in.readableBytes() > MAX_LINE + 1) {
                    throw new ProtocolException("watch line longer than " + MAX_LINE + " bytes");
                }
                return;
            }
            int len = eol - in.readerIndex();
            boolean cr = len > 0 && in.getByte(eol - 1) == '\r';
            String line = in.toString(in.readerIndex(), cr ? len - 1 : len, StandardCharsets.ISO_8859_1);
            in.readerIndex(eol + 1);
            WatchLine parsed = parse(line, cr);
            if (parsed != null) {
                out.add(parsed);
            }
        }
    }

    /** Returns the line's meaning, or null when it is an event whose data block follows. */
    private WatchLine parse(String line, boolean crlf) {
        if (line.startsWith("ts=")) {
            return StockLines.parse(line);
        }
        if (line.startsWith("skipped=")) {
            return new WatchLine.Skipped(number(line.substring(8), "skipped count"));
        }
        if (!crlf) {
            throw new ProtocolException("watch line not terminated by CRLF: " + abbreviate(line));
        }
        if (line.equals("OK")) {
            return new WatchLine.Ok();
        }
        if (line.equals("MO")) {
            return new WatchLine.Overflow();
        }
        if (line.equals("ERROR") || line.startsWith("CLIENT_ERROR") || line.startsWith("SERVER_ERROR")) {
            return new WatchLine.Refused(line);
        }
        String[] t = line.split(" ", -1);
        switch (t[0]) {
            case "MW" -> {
                expect(t, 3, line);
                if (t[1].length() != 16) {
                    throw new ProtocolException("bad boot id: " + abbreviate(line));
                }
                long boot = hex(t[1]);
                return new WatchLine.Subscribed(boot, number(t[2], "seq"));
            }
            case "MH" -> {
                expect(t, 2, line);
                return new WatchLine.Heartbeat(number(t[1], "seq"));
            }
            case "ME" -> {
                return event(t, line);
            }
            default -> throw new ProtocolException("unexpected watch line: " + abbreviate(line));
        }
    }

    private WatchLine event(String[] t, String line) {
        if (t.length != 10 && t.length != 11) { // 11th: the old item's flags (10: a node that does not send them)
            throw new ProtocolException("watch line with " + t.length + " fields, expected 11: " + abbreviate(line));
        }
        if (t[2].length() != 1 || MutationKind.ofLetter(t[2].charAt(0)) == null) {
            throw new ProtocolException("bad event kind: " + abbreviate(line));
        }
        MutationKind kind = MutationKind.ofLetter(t[2].charAt(0));
        byte[] key;
        if (t[3].equals("-")) {
            if (kind != MutationKind.FLUSHED) {
                throw new ProtocolException("event without a key: " + abbreviate(line));
            }
            key = new byte[0];
        } else {
            try {
                key = Base64.getDecoder().decode(t[3]);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("bad base64 key: " + abbreviate(line));
            }
            if (key.length == 0 || key.length > MAX_KEY) {
                throw new ProtocolException("event key of " + key.length + " bytes: " + abbreviate(line));
            }
        }
        long seq = number(t[1], "seq");
        long version = number(t[4], "version");
        long origin = number(t[5], "origin");
        long flags = flags(t[6], line);
        long oldFlags = t.length < 11 || t[10].equals("-") ? flags : flags(t[10], line);
        long exptime = number(t[7], "exptime");
        int oldLen = length(t[8], line);
        int newLen = length(t[9], line);
        WatchLine.Event e = new WatchLine.Event(seq, kind, key, version, origin, (int) flags, exptime, null, null,
                (int) oldFlags);
        if (oldLen < 0 && newLen < 0) {
            return e;
        }
        pending = e;
        pendingOld = oldLen;
        pendingNew = newLen;
        return null;
    }

    private static long flags(String token, String line) {
        long flags = number(token, "flags");
        if (flags > 0xffffffffL || flags < 0) {
            throw new ProtocolException("flags out of range: " + abbreviate(line));
        }
        return flags;
    }

    private int length(String token, String line) {
        if (token.equals("-")) {
            return -1;
        }
        long n = number(token, "length");
        if (n > maxValueLength) {
            throw new ProtocolException("event value of " + n + " bytes exceeds the limit " + maxValueLength + ": " + abbreviate(line));
        }
        return (int) n;
    }

    private static void expect(String[] t, int n, String line) {
        if (t.length != n) {
            throw new ProtocolException("watch line with " + t.length + " fields, expected " + n + ": " + abbreviate(line));
        }
    }

    /** Parses an unsigned decimal of at most 20 digits (the full unsigned 64-bit range). */
    static long number(String s, String what) {
        if (s.isEmpty() || s.length() > 20) {
            throw new ProtocolException("bad " + what + ": " + abbreviate(s));
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException("bad " + what + ": " + abbreviate(s));
            }
        }
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad " + what + ": " + abbreviate(s));
        }
    }

    private static long hex(String s) {
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                throw new ProtocolException("bad boot id: " + abbreviate(s));
            }
            v = (v << 4) | d;
        }
        return v;
    }

    static String abbreviate(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() <= 80 ? clean : clean.substring(0, 80) + "...";
    }
}
