package io.memring.server.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The peer wire format. A link opens with one text line, {@code mr_peer_hello <fingerprint>
 * <nodeId>\r\n}, answered {@code mr_peer_ok <nodeId>\r\n} (or {@code SERVER_ERROR ...} and a close).
 * After that both directions carry binary frames: a 4-byte big-endian length (of what follows), a
 * type byte, and the type's fields:
 * <pre>
 * SET   1: version(8) shippedAtMs(8) flags(4) unixExptime(8) keyLength(2) key value...
 * DEL   2: version(8) shippedAtMs(8) keyLength(2) key
 * FLUSH 3: watermark(8) unixTime(8) shippedAtMs(8)
 * ACK   4: appliedCount(8)              (receiver to sender: frames applied on this link so far)
 * DUMP  5: nodeIndex(4)                 (request: stream every item that node owns as SET frames...)
 * END   6: itemCount(8)                 (...then END)
 * </pre>
 * {@code shippedAtMs} is the sender's wall clock when the change was queued (lag), 0 for a resync or
 * dump item. Every field is checked by {@link PeerInbound}; a malformed frame closes the link.
 */
final class PeerFrames {
    static final String HELLO = "mr_peer_hello";
    static final String OK = "mr_peer_ok";
    static final byte SET = 1;
    static final byte DEL = 2;
    static final byte FLUSH = 3;
    static final byte ACK = 4;
    static final byte DUMP = 5;
    static final byte END = 6;
    /** memcached's key limit; binary (base64) keys decode to fewer bytes. */
    static final int MAX_KEY = 250;
    /** Headroom over the largest item for the frame's own fields. */
    private static final int FRAME_OVERHEAD = 64;

    private PeerFrames() {
    }

    static LengthFieldBasedFrameDecoder decoder(int itemSizeLimit) {
        return new LengthFieldBasedFrameDecoder(itemSizeLimit + FRAME_OVERHEAD, 0, 4, 0, 4);
    }

    static String hello(String fingerprint, int nodeId) {
        return HELLO + " " + fingerprint + " " + nodeId + "\r\n";
    }

    static ByteBuf set(ByteBufAllocator alloc, byte[] key, int flags, long unixExptime, long version, long shippedAtMs,
            ValueWriter value, int valueLength) {
        int body = 1 + 8 + 8 + 4 + 8 + 2 + key.length + valueLength;
        ByteBuf b = alloc.buffer(4 + body);
        b.writeInt(body).writeByte(SET).writeLong(version).writeLong(shippedAtMs).writeInt(flags).writeLong(unixExptime)
                .writeShort(key.length).writeBytes(key);
        value.writeTo(b);
        return b;
    }

    static ByteBuf del(ByteBufAllocator alloc, byte[] key, long version, long shippedAtMs) {
        int body = 1 + 8 + 8 + 2 + key.length;
        ByteBuf b = alloc.buffer(4 + body);
        return b.writeInt(body).writeByte(DEL).writeLong(version).writeLong(shippedAtMs).writeShort(key.length).writeBytes(key);
    }

    static ByteBuf flush(ByteBufAllocator alloc, long watermark, long unixTime, long shippedAtMs) {
        return alloc.buffer(4 + 25).writeInt(25).writeByte(FLUSH).writeLong(watermark).writeLong(unixTime).writeLong(shippedAtMs);
    }

    static ByteBuf ack(ByteBufAllocator alloc, long applied) {
        return alloc.buffer(4 + 9).writeInt(9).writeByte(ACK).writeLong(applied);
    }

    static ByteBuf dump(ByteBufAllocator alloc, int nodeIndex) {
        return alloc.buffer(4 + 5).writeInt(5).writeByte(DUMP).writeInt(nodeIndex);
    }

    static ByteBuf end(ByteBufAllocator alloc, long items) {
        return alloc.buffer(4 + 9).writeInt(9).writeByte(END).writeLong(items);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends an item's value to a frame (copied from storage under its lock). */
    @FunctionalInterface
    interface ValueWriter {
        void writeTo(ByteBuf out);
    }
}
