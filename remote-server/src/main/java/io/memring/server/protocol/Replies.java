package io.memring.server.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Reply lines, byte-for-byte memcached 1.6's, and small helpers to write them. */
final class Replies {
    static final byte[] CRLF = ascii("\r\n");
    static final byte[] ERROR = ascii("ERROR\r\n");
    static final byte[] STORED = ascii("STORED\r\n");
    static final byte[] NOT_STORED = ascii("NOT_STORED\r\n");
    static final byte[] EXISTS = ascii("EXISTS\r\n");
    static final byte[] NOT_FOUND = ascii("NOT_FOUND\r\n");
    static final byte[] DELETED = ascii("DELETED\r\n");
    static final byte[] TOUCHED = ascii("TOUCHED\r\n");
    static final byte[] END = ascii("END\r\n");
    static final byte[] OK = ascii("OK\r\n");
    static final byte[] RESET = ascii("RESET\r\n");
    static final byte[] VALUE = ascii("VALUE ");
    static final byte[] MN = ascii("MN\r\n");
    static final byte[] EN = ascii("EN");

    static final byte[] BAD_FORMAT = ascii("CLIENT_ERROR bad command line format\r\n");
    static final byte[] BAD_DATA_CHUNK = ascii("CLIENT_ERROR bad data chunk\r\n");
    static final byte[] INVALID_EXPTIME = ascii("CLIENT_ERROR invalid exptime argument\r\n");
    static final byte[] INVALID_DELTA = ascii("CLIENT_ERROR invalid numeric delta argument\r\n");
    static final byte[] NON_NUMERIC = ascii("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
    static final byte[] DELETE_USAGE = ascii("CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n");
    static final byte[] TOO_LARGE = ascii("SERVER_ERROR object too large for cache\r\n");
    static final byte[] OUT_OF_MEMORY_STORING = ascii("SERVER_ERROR out of memory storing object\r\n");
    static final byte[] OUT_OF_MEMORY = ascii("SERVER_ERROR out of memory\r\n");
    static final byte[] TOO_MANY_CONNECTIONS = ascii("ERROR Too many open connections\r\n");

    private Replies() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static void writeAscii(ByteBuf out, String s) {
        out.writeCharSequence(s, StandardCharsets.US_ASCII);
    }

    /** Writes an unsigned decimal without allocating. */
    static void writeUnsigned(ByteBuf out, long v) {
        if (v >= 0 && v < 10) {
            out.writeByte('0' + (int) v);
            return;
        }
        if (v < 0) {
            writeAscii(out, Long.toUnsignedString(v));
            return;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int at = out.writerIndex();
        out.ensureWritable(digits);
        for (int i = digits - 1; i >= 0; i--) {
            out.setByte(at + i, '0' + (int) (v % 10));
            v /= 10;
        }
        out.writerIndex(at + digits);
    }

    static void writeSigned(ByteBuf out, long v) {
        if (v < 0) {
            out.writeByte('-');
            if (v == Long.MIN_VALUE) {
                writeAscii(out, "9223372036854775808");
                return;
            }
            v = -v;
        }
        writeUnsigned(out, v);
    }
}
