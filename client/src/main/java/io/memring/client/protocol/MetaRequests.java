package io.memring.client.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Writes meta-protocol request lines. Every method appends one complete request to {@code out}. */
public final class MetaRequests {
    private static final byte[] CRLF = {'\r', '\n'};

    private MetaRequests() {
    }

    private static void ascii(ByteBuf out, String s) {
        out.writeCharSequence(s, StandardCharsets.US_ASCII);
    }

    /** Writes the key token followed by " b" when it had to be base64-encoded. */
    private static void key(ByteBuf out, byte[] key) {
        if (keyToken(out, key)) {
            ascii(out, " b");
        }
    }

    /** Writes the key token; returns whether it is base64 (the caller adds the b flag). */
    private static boolean keyToken(ByteBuf out, byte[] key) {
        byte[] token = Keys.token(key);
        out.writeBytes(token);
        return token != key;
    }

    /** {@code mg <key> v f c [k] [O<opaque>] [q]}: value, client flags and CAS. */
    public static void get(ByteBuf out, byte[] key, String opaque, boolean quiet) {
        ascii(out, "mg ");
        key(out, key);
        ascii(out, " v f c");
        if (opaque != null) {
            ascii(out, " O" + opaque);
        }
        if (quiet) {
            ascii(out, " q");
        }
        out.writeBytes(CRLF);
    }

    /** {@code mg <key> T<ttl>}: touch. */
    public static void touch(ByteBuf out, byte[] key, int ttlSeconds) {
        ascii(out, "mg ");
        key(out, key);
        ascii(out, " T" + ttlSeconds);
        out.writeBytes(CRLF);
    }

    /** Store modes of {@code ms}'s M flag. */
    public enum Mode {
        SET('S'), ADD('E'), REPLACE('R'), APPEND('A'), PREPEND('P');

        final char flag;

        Mode(char flag) {
            this.flag = flag;
        }
    }

    /** {@code ms <key> <len> F<flags> T<ttl> M<mode> [C<cas>] c [O] [q]} and the data block. */
    public static void set(ByteBuf out, byte[] key, byte[] value, int clientFlags, int ttlSeconds, Mode mode, long cas,
                           String opaque, boolean quiet) {
        ascii(out, "ms ");
        boolean base64 = keyToken(out, key);
        ascii(out, " " + value.length + (base64 ? " b" : "") + " F" + Integer.toUnsignedString(clientFlags) + " T" + ttlSeconds + " M" + mode.flag);
        if (cas != 0) {
            ascii(out, " C" + Long.toUnsignedString(cas));
        }
        ascii(out, " c");
        if (opaque != null) {
            ascii(out, " O" + opaque);
        }
        if (quiet) {
            ascii(out, " q");
        }
        out.writeBytes(CRLF);
        out.writeBytes(value);
        out.writeBytes(CRLF);
    }

    /** {@code md <key> [C<cas>] [O] [q]}. */
    public static void delete(ByteBuf out, byte[] key, long cas, String opaque, boolean quiet) {
        delete(out, key, cas, opaque, quiet, false);
    }

    /**
     * As above; {@code clear} adds Memring's {@code Y} flag (a clear's delete: the node's mutation stream
     * reports it as kind C, so other JVMs' listeners stay silent). Stock memcached refuses the flag.
     */
    public static void delete(ByteBuf out, byte[] key, long cas, String opaque, boolean quiet, boolean clear) {
        ascii(out, "md ");
        key(out, key);
        if (cas != 0) {
            ascii(out, " C" + Long.toUnsignedString(cas));
        }
        if (opaque != null) {
            ascii(out, " O" + opaque);
        }
        if (quiet) {
            ascii(out, " q");
        }
        if (clear) {
            ascii(out, " Y");
        }
        out.writeBytes(CRLF);
    }

    /**
     * {@code ma <key> v [MD] D<delta> [N<ttl> J<initial>]}: incr or decr; with {@code initial >= 0} a
     * miss creates the counter.
     */
    public static void arithmetic(ByteBuf out, byte[] key, boolean incr, long delta, long initial, int ttlSeconds) {
        ascii(out, "ma ");
        key(out, key);
        ascii(out, " v D" + Long.toUnsignedString(delta));
        if (!incr) {
            ascii(out, " MD");
        }
        if (initial >= 0) {
            ascii(out, " N" + ttlSeconds + " J" + initial);
        }
        out.writeBytes(CRLF);
    }

    /** {@code mn}: ends a pipeline of quiet requests. */
    public static void noop(ByteBuf out) {
        ascii(out, "mn\r\n");
    }

    /** {@code flush_all}: the text command, answered OK by memcached and our node. */
    public static void flushAll(ByteBuf out) {
        ascii(out, "flush_all\r\n");
    }

    /** {@code lru_crawler metadump all}: one line per item, then END. */
    public static void metadump(ByteBuf out) {
        ascii(out, "lru_crawler metadump all\r\n");
    }

    /** {@code version}. */
    public static void version(ByteBuf out) {
        ascii(out, "version\r\n");
    }
}
