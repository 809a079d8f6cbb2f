package io.memring.client.protocol;

import io.memring.client.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decodes server replies into {@link MetaResponse}s. States: read a status line, then for {@code VA}
 * its value block. A line longer than {@value #MAX_LINE} bytes, an unknown status, a bad size or a
 * value not ending in CRLF is a {@link ProtocolException}: the stream cannot be trusted after it, so
 * the connection is closed by whoever handles the exception.
 */
public final class MetaResponseDecoder extends ByteToMessageDecoder {
    static final int MAX_LINE = 8192;

    private final int maxValueLength;
    private MetaResponse pendingValue;
    private int pendingSize = -1;
    private boolean failed;

    /** @param maxValueLength the largest value accepted from the server */
    public MetaResponseDecoder(int maxValueLength) {
        this.maxValueLength = maxValueLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes()); // nothing after a protocol error can be trusted
            return;
        }
        try {
            decodeReplies(in, out);
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeReplies(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (pendingSize >= 0) {
                if (in.readableBytes() < pendingSize + 2) {
                    return;
                }
                byte[] value = new byte[pendingSize];
                in.readBytes(value);
                if (in.readByte() != '\r' || in.readByte() != '\n') {
                    throw new ProtocolException("value block not terminated by CRLF");
                }
                MetaResponse head = pendingValue;
                MetaResponse r = new MetaResponse(head.status, value, head.rest);
                copyFlags(head, r);
                pendingValue = null;
                pendingSize = -1;
                out.add(r);
                continue;
            }
            int eol = in.forEachByte(in.readerIndex(), in.readableBytes(), ByteProcessor.FIND_LF);
            if (eol < 0) {
                if (in.readableBytes() > MAX_LINE) {
                    throw new ProtocolException("reply line longer than " + MAX_LINE + " bytes");
                }
                return;
            }
            int len = eol - in.readerIndex();
            if (len > MAX_LINE) {
                throw new ProtocolException("reply line longer than " + MAX_LINE + " bytes");
            }
            boolean crlf = len > 0 && in.getByte(eol - 1) == '\r';
            // metadump lines are the one reply memcached ends with a bare LF
            if (!crlf && !(len > 4 && in.getByte(in.readerIndex()) == 'k' && in.getByte(in.readerIndex() + 3) == '=')) {
                throw new ProtocolException("reply line not terminated by CRLF");
            }
            String line = in.toString(in.readerIndex(), crlf ? len - 1 : len, StandardCharsets.ISO_8859_1);
            in.readerIndex(eol + 1);
            MetaResponse r = parseLine(line);
            if (r.status == MetaResponse.Status.VA) {
                pendingValue = r;
                continue;
            }
            out.add(r);
        }
    }

    private MetaResponse parseLine(String line) {
        if (!line.isEmpty() && line.charAt(0) >= 20 && line.charAt(0) <= 23) { // a TLS record's content type
            throw new ProtocolException("the node answered with TLS: enable TLS in this client (memring.tls.enabled)");
        }
        if (line.startsWith("CLIENT_ERROR")) {
            return new MetaResponse(MetaResponse.Status.CLIENT_ERROR, null, line.substring(Math.min(line.length(), 13)));
        }
        if (line.startsWith("SERVER_ERROR")) {
            return new MetaResponse(MetaResponse.Status.SERVER_ERROR, null, line.substring(Math.min(line.length(), 13)));
        }
        if (line.equals("ERROR") || line.startsWith("ERROR ")) {
            return new MetaResponse(MetaResponse.Status.ERROR, null, line.length() > 6 ? line.substring(6) : "");
        }
        if (line.startsWith("VERSION ")) {
            return new MetaResponse(MetaResponse.Status.VERSION, null, line.substring(8));
        }
        if (line.startsWith("key=")) {
            return new MetaResponse(MetaResponse.Status.METADUMP, null, line);
        }
        if (line.equals("END")) {
            return new MetaResponse(MetaResponse.Status.END, null, "");
        }
        if (line.startsWith("STAT ")) {
            return new MetaResponse(MetaResponse.Status.STAT, null, line.substring(5));
        }
        if (line.startsWith("BUSY")) {
            return new MetaResponse(MetaResponse.Status.BUSY, null, line);
        }
        if (line.equals("OK")) {
            return new MetaResponse(MetaResponse.Status.OK, null, "");
        }
        if (line.length() < 2 || (line.length() > 2 && line.charAt(2) != ' ')) {
            throw new ProtocolException("unexpected reply: " + abbreviate(line));
        }
        MetaResponse.Status status;
        try {
            status = MetaResponse.Status.valueOf(line.substring(0, 2));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("unexpected reply: " + abbreviate(line));
        }
        if (status.ordinal() > MetaResponse.Status.MN.ordinal()) {
            throw new ProtocolException("unexpected reply: " + abbreviate(line));
        }
        String rest = line.length() > 3 ? line.substring(3) : "";
        String[] tokens = rest.isEmpty() ? new String[0] : rest.split(" ");
        int firstFlag = 0;
        if (status == MetaResponse.Status.VA) {
            if (tokens.length == 0) {
                throw new ProtocolException("VA without a size");
            }
            try {
                pendingSize = Integer.parseInt(tokens[0]);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad VA size: " + abbreviate(tokens[0]));
            }
            if (pendingSize < 0 || pendingSize > maxValueLength) {
                throw new ProtocolException("VA size out of range: " + pendingSize);
            }
            firstFlag = 1;
        }
        MetaResponse r = new MetaResponse(status, null, rest);
        for (int i = firstFlag; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.isEmpty()) {
                continue;
            }
            try {
                switch (t.charAt(0)) {
                    case 'c' -> r.cas = Long.parseUnsignedLong(t.substring(1));
                    case 'f' -> r.clientFlags = (int) Long.parseLong(t.substring(1));
                    case 'O' -> r.opaque = t.substring(1);
                    case 'k' -> r.keyToken = t.substring(1).getBytes(StandardCharsets.ISO_8859_1);
                    case 'b' -> r.keyBase64 = true;
                    case 't' -> r.ttl = Integer.parseInt(t.substring(1));
                    case 'W' -> r.win = true;
                    case 'X' -> r.stale = true;
                    default -> { }
                }
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad flag in reply: " + abbreviate(t));
            }
        }
        return r;
    }

    private static void copyFlags(MetaResponse from, MetaResponse to) {
        to.cas = from.cas;
        to.clientFlags = from.clientFlags;
        to.opaque = from.opaque;
        to.keyToken = from.keyToken;
        to.keyBase64 = from.keyBase64;
        to.ttl = from.ttl;
        to.win = from.win;
        to.stale = from.stale;
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
