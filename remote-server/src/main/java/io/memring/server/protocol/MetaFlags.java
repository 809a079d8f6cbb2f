package io.memring.server.protocol;

import java.util.Base64;

/**
 * The flags of one meta command, parsed with memcached 1.6's {@code _meta_flag_preparse} rules: one
 * flag per token, identified by its first byte, each at most once; unknown flags are an error.
 */
final class MetaFlags {
    static final int MAX_OPAQUE_LENGTH = 32;
    /** memcached refuses meta commands with more than this many tokens (including its terminator). */
    static final int MAX_TOKENS = 20;

    static final String DUPLICATE_FLAG = "CLIENT_ERROR duplicate flag\r\n";
    static final String INVALID_FLAG = "CLIENT_ERROR invalid flag\r\n";
    static final String BAD_TOKEN = "CLIENT_ERROR bad token in command line format\r\n";
    static final String BAD_FORMAT = "CLIENT_ERROR bad command line format\r\n";

    /** The error reply if parsing failed, else null. */
    String error;

    byte[] key;
    boolean keyBinary;
    boolean value;
    boolean noUpdate;
    boolean quiet;
    boolean invalidate;
    /** Memring's {@code Y} on md: this delete is part of a clear (mutation-stream kind C). */
    boolean clear;
    boolean hasTtl;
    int ttl;
    boolean vivify;
    int vivifyTtl;
    boolean recache;
    int recacheTime;
    boolean hasCas;
    long cas;
    long clientFlags;
    byte mode;
    long delta = 1;
    long initial;
    boolean opaqueTooLong;

    /**
     * Parses flags from token {@code first} on. The key is token 1, base64-decoded when {@code b} is
     * present. Exptimes are converted with {@code clock}-relative rules by the caller-supplied function.
     */
    static MetaFlags parse(Tokens t, int first, java.util.function.IntUnaryOperator toRelative) {
        MetaFlags f = new MetaFlags();
        f.key = t.bytes(1);
        boolean[] seen = new boolean[127];
        boolean hasError = false;
        String errstr = BAD_FORMAT;
        for (int i = first; i < t.count(); i++) {
            int o = t.byteAt(i, 0) & 0xff;
            if (o >= 127 || seen[o]) {
                f.error = DUPLICATE_FLAG;
                return f;
            }
            seen[o] = true;
            try {
                switch (o) {
                    case 'b' -> {
                        try {
                            f.key = Base64.getDecoder().decode(f.key);
                            if (f.key.length == 0) {
                                throw new IllegalArgumentException("empty");
                            }
                            f.keyBinary = true;
                        } catch (IllegalArgumentException e) {
                            errstr = "CLIENT_ERROR error decoding key\r\n";
                            hasError = true;
                        }
                    }
                    case 'N' -> {
                        f.vivify = true;
                        f.vivifyTtl = toRelative.applyAsInt(numberOr(t, i, BAD_TOKEN));
                    }
                    case 'T' -> {
                        f.ttl = toRelative.applyAsInt(numberOr(t, i, BAD_TOKEN));
                        f.hasTtl = true;
                    }
                    case 'R' -> {
                        f.recacheTime = toRelative.applyAsInt(numberOr(t, i, BAD_TOKEN));
                        f.recache = true;
                    }
                    case 'l', 'h', 'O', 'P', 'L', 'k', 's', 't', 'c', 'f' -> {
                        if (o == 'O' && t.length(i) > MAX_OPAQUE_LENGTH) {
                            f.opaqueTooLong = true;
                        }
                    }
                    case 'v' -> f.value = true;
                    case 'u' -> f.noUpdate = true;
                    case 'q' -> f.quiet = true;
                    case 'I' -> f.invalidate = true;
                    case 'Y' -> {
                        if (!t.is(0, "md")) { // Memring's clear marker exists on md only
                            f.error = INVALID_FLAG;
                            return f;
                        }
                        f.clear = true;
                    }
                    case 'F' -> {
                        try {
                            // memcached reads F as a 64-bit number and keeps its low 32 bits (F99999999999 stores 1215752191)
                            f.clientFlags = Arguments.uint64After(t, i) & 0xffffffffL;
                        } catch (NumberFormatException e) {
                            hasError = true; // memcached keeps the generic message here
                        }
                    }
                    case 'C' -> {
                        try {
                            f.cas = Arguments.uint64After(t, i);
                            f.hasCas = true;
                        } catch (NumberFormatException e) {
                            errstr = BAD_TOKEN;
                            hasError = true;
                        }
                    }
                    case 'M' -> {
                        if (t.length(i) != 2) {
                            errstr = "CLIENT_ERROR incorrect length for M token\r\n";
                            hasError = true;
                        } else {
                            f.mode = t.byteAt(i, 1);
                        }
                    }
                    case 'J' -> {
                        try {
                            f.initial = Arguments.uint64After(t, i);
                        } catch (NumberFormatException e) {
                            errstr = "CLIENT_ERROR invalid numeric initial value\r\n";
                            hasError = true;
                        }
                    }
                    case 'D' -> {
                        try {
                            f.delta = Arguments.uint64After(t, i);
                        } catch (NumberFormatException e) {
                            errstr = "CLIENT_ERROR invalid numeric delta value\r\n";
                            hasError = true;
                        }
                    }
                    default -> {
                        f.error = INVALID_FLAG;
                        return f;
                    }
                }
            } catch (FlagError e) {
                errstr = e.reply;
                hasError = true;
            }
        }
        if (hasError) {
            f.error = errstr;
        }
        return f;
    }

    private static int numberOr(Tokens t, int i, String reply) {
        try {
            return Arguments.int32After(t, i);
        } catch (NumberFormatException e) {
            throw new FlagError(reply);
        }
    }

    /** A flag's argument did not parse; carries memcached's reply. */
    private static final class FlagError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String reply;

        FlagError(String reply) {
            super(reply, null, false, false);
            this.reply = reply;
        }
    }

    /** Writes " k&lt;key&gt;" (base64 plus " b" for binary keys), memcached's META_KEY. */
    static void writeKey(io.netty.buffer.ByteBuf out, byte[] key, boolean binary) {
        out.writeByte(' ');
        out.writeByte('k');
        if (binary) {
            out.writeBytes(Base64.getEncoder().encode(key));
            out.writeByte(' ');
            out.writeByte('b');
        } else {
            out.writeBytes(key);
        }
    }

    /** Writes " &lt;token&gt;" for an opaque token. */
    static void writeToken(io.netty.buffer.ByteBuf out, Tokens t, int i) {
        out.writeByte(' ');
        out.writeBytes(t.line(), t.start(i), t.length(i));
    }
}
