package io.memring.server.protocol;

import io.memring.server.storage.ArithmeticRequest;
import io.memring.server.storage.MetaGetRequest;
import io.memring.server.storage.Storage;
import io.memring.server.storage.StoreMode;
import io.memring.server.storage.StoreRequest;
import io.memring.server.storage.StoreStatus;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * memcached's meta commands: mg, ms, md, ma, mn, me. Flag semantics, reply codes (HD VA EN NS EX NF MN)
 * and the order of returned flags follow memcached 1.6.18's {@code proto_text.c}.
 */
final class MetaCommands {
    private static final byte[] OPAQUE_TOO_LONG = Replies.ascii("CLIENT_ERROR opaque token too long\r\n");
    private static final byte[] FLAGS_TOO_LONG_MG = Replies.ascii("CLIENT_ERROR options flags are too long\r\n");
    private static final byte[] FLAGS_TOO_LONG = Replies.ascii("CLIENT_ERROR options flags too long\r\n");
    private static final byte[] INVALID_OR_DUPLICATE = Replies.ascii("CLIENT_ERROR invalid or duplicate flag\r\n");
    private static final byte[] VA = Replies.ascii("VA ");
    private static final byte[] HD = Replies.ascii("HD");
    private static final byte[] EX = Replies.ascii("EX");
    private static final byte[] NF = Replies.ascii("NF");
    private static final byte[] NS = Replies.ascii("NS");

    private final Connection c;

    MetaCommands(Connection c) {
        this.c = c;
    }

    private MetaFlags flags(Tokens t, int first) {
        Storage storage = c.storage;
        return MetaFlags.parse(t, first, exptime -> storage.clock().toRelativeExpiry(exptime));
    }

    /** mg &lt;key&gt; &lt;flags&gt;*. */
    void get(Tokens t, ByteBuf out) {
        if (t.memcachedCount() < 3) {
            out.writeBytes(Replies.ERROR);
            return;
        }
        if (t.length(1) > TextCommands.KEY_MAX_LENGTH) {
            out.writeBytes(Replies.BAD_FORMAT);
            return;
        }
        if (t.memcachedCount() > MetaFlags.MAX_TOKENS) {
            out.writeBytes(FLAGS_TOO_LONG_MG);
            return;
        }
        MetaFlags f = flags(t, 2);
        if (f.error != null) {
            Replies.writeAscii(out, f.error);
            return;
        }
        if (f.opaqueTooLong) {
            out.writeBytes(OPAQUE_TOO_LONG);
            return;
        }
        byte[] refused = f.hasTtl || f.vivify ? c.node.cluster().refuseWrite(f.key)
                : c.catchUpPull ? c.node.cluster().refusePullRead(f.key, c.storage) : c.node.cluster().refuseRead(f.key, c.storage);
        if (refused != null) {
            out.writeBytes(refused);
            return;
        }
        MetaGetRequest r = c.metaGet.reset();
        r.key = f.key;
        r.keyBinary = f.keyBinary;
        r.noBump = f.noUpdate;
        r.touch = f.hasTtl;
        r.touchExptime = f.ttl;
        r.vivify = f.vivify;
        r.vivifyExptime = f.vivifyTtl;
        r.recache = f.recache;
        r.recacheTime = f.recacheTime;
        int now = c.storage.clock().now();
        boolean hit = c.storage.metaGet(r, item -> {
            if (f.value) {
                out.writeBytes(VA);
                Replies.writeUnsigned(out, item.valueLength());
            } else {
                out.writeByte('H').writeByte('D');
            }
            for (int i = 2; i < t.count(); i++) {
                switch (t.byteAt(i, 0)) {
                    case 's' -> flag(out, 's').writeUnsigned(out, item.valueLength());
                    case 't' -> {
                        flag(out, 't');
                        if (item.exptime() == 0) {
                            out.writeByte('-').writeByte('1');
                        } else {
                            Replies.writeSigned(out, (long) item.exptime() - now);
                        }
                    }
                    case 'c' -> flag(out, 'c').writeUnsigned(out, item.cas());
                    case 'f' -> flag(out, 'f').writeUnsigned(out, item.clientFlags() & 0xffffffffL);
                    case 'l' -> flag(out, 'l').writeUnsigned(out, Math.max(0, now - r.lastAccessBefore));
                    case 'h' -> flag(out, 'h').writeUnsigned(out, r.fetchedBefore ? 1 : 0);
                    case 'O' -> MetaFlags.writeToken(out, t, i);
                    case 'k' -> MetaFlags.writeKey(out, item.key(), item.keyBinary());
                    default -> { }
                }
            }
            if (r.tokenAlreadySent) {
                flag(out, 'Z');
            }
            if (r.stale) {
                flag(out, 'X');
            }
            if (r.won) {
                flag(out, 'W');
            }
            out.writeBytes(Replies.CRLF);
            if (f.value) {
                item.copyValue(out);
                out.writeBytes(Replies.CRLF);
            }
        });
        if (f.hasTtl) {
            c.stats.cmdTouch.increment();
            (hit ? c.stats.touchHits : c.stats.touchMisses).increment();
        } else {
            c.stats.cmdGet.increment();
            (hit ? c.stats.getHits : c.stats.getMisses).increment();
        }
        if (!hit && !f.quiet) {
            out.writeBytes(Replies.EN);
            echoOpaqueAndKey(t, out, f);
            out.writeBytes(Replies.CRLF);
        }
    }

    /** ms &lt;key&gt; &lt;datalen&gt; &lt;flags&gt;*, followed by the data block. */
    void set(Tokens t, ByteBuf out) {
        int n = t.memcachedCount();
        if (n < 3) {
            out.writeBytes(Replies.ERROR);
            return;
        }
        if (t.length(1) > TextCommands.KEY_MAX_LENGTH || n == 3) {
            out.writeBytes(Replies.BAD_FORMAT);
            return;
        }
        if (n > MetaFlags.MAX_TOKENS) {
            out.writeBytes(FLAGS_TOO_LONG);
            return;
        }
        int vlen;
        try {
            vlen = Arguments.int32(t, 2);
        } catch (NumberFormatException e) {
            out.writeBytes(Replies.BAD_FORMAT);
            return;
        }
        if (vlen < 0 || vlen > Integer.MAX_VALUE - 2) {
            out.writeBytes(Replies.BAD_FORMAT);
            return;
        }
        MetaFlags f = flags(t, 3);
        if (f.error != null) {
            fail(out, f.error, vlen);
            return;
        }
        if (f.opaqueTooLong) {
            fail(out, "CLIENT_ERROR opaque token too long\r\n", vlen);
            return;
        }
        StoreMode mode;
        switch (f.mode) {
            case 0, 'S' -> mode = StoreMode.SET;
            case 'E' -> mode = StoreMode.ADD;
            case 'A' -> mode = StoreMode.APPEND;
            case 'P' -> mode = StoreMode.PREPEND;
            case 'R' -> mode = StoreMode.REPLACE;
            default -> {
                fail(out, "CLIENT_ERROR invalid mode for ms M token\r\n", vlen);
                return;
            }
        }
        if (f.hasCas && (mode == StoreMode.SET || mode == StoreMode.REPLACE)) {
            mode = StoreMode.CAS;
        }
        byte[] refused = c.node.cluster().refuseWrite(f.key);
        if (refused != null) {
            out.writeBytes(refused);
            c.swallow(vlen + 2L);
            return;
        }
        StoreRequest r = c.store.reset();
        r.mode = mode;
        r.key = f.key;
        r.keyBinary = f.keyBinary;
        r.clientFlags = (int) f.clientFlags;
        r.exptime = f.hasTtl ? f.ttl : 0;
        r.compareCas = f.hasCas ? f.cas : 0;
        r.invalidate = f.invalidate && mode == StoreMode.CAS;
        if ((long) vlen + r.key.length + Storage.itemHeaderSize() > c.storage.itemSizeLimit()) {
            c.stats.storeTooLarge.increment();
            c.storage.delete(r.key);
            fail(out, "SERVER_ERROR object too large for cache\r\n", vlen);
            return;
        }
        byte[] returnFlags = stashReturnFlags(t);
        boolean quiet = f.quiet;
        c.expectData(vlen, new PendingStore() {
            @Override
            public void complete(ByteBuf data, int index, int length, ByteBuf o) {
                c.stats.cmdSet.increment();
                StoreStatus status = c.storage.store(r.withData(data, index, length));
                if (status == StoreStatus.TOO_LARGE || status == StoreStatus.NO_MEMORY) {
                    c.storage.delete(r.key);
                    (status == StoreStatus.TOO_LARGE ? c.stats.storeTooLarge : c.stats.storeNoMemory).increment();
                    o.writeBytes(status == StoreStatus.TOO_LARGE ? Replies.TOO_LARGE : Replies.OUT_OF_MEMORY_STORING);
                    return;
                }
                c.stats.countStore(r.mode == StoreMode.CAS, status == StoreStatus.STORED, status == StoreStatus.EXISTS);
                if (status == StoreStatus.STORED && quiet) {
                    return;
                }
                o.writeBytes(code(status));
                writeStashedFlags(o, returnFlags, r);
                o.writeBytes(Replies.CRLF);
            }

            @Override
            public void badChunk(ByteBuf o) {
                o.writeBytes(Replies.BAD_DATA_CHUNK);
            }

            @Override
            public void outOfMemory(ByteBuf o, boolean chunked) {
                // memcached's mset reports the error even if quiet; a failed first allocation unlinks
                // the old item whatever the mode, a failed chunk while reading leaves it.
                c.stats.storeNoMemory.increment();
                if (chunked) {
                    o.writeBytes(TextCommands.OUT_OF_MEMORY_DURING_READ);
                    return;
                }
                c.storage.delete(r.key);
                o.writeBytes(Replies.OUT_OF_MEMORY_STORING);
            }
        });
    }

    private static byte[] code(StoreStatus status) {
        return switch (status) {
            case STORED -> HD;
            case EXISTS -> EX;
            case NOT_FOUND -> NF;
            default -> NS;
        };
    }

    /** Remembers the O/k/c return flags of an ms line in order, to answer after the data block. */
    private static byte[] stashReturnFlags(Tokens t) {
        ByteArrayOutputStream stash = new ByteArrayOutputStream();
        for (int i = 3; i < t.count(); i++) {
            byte b = t.byteAt(i, 0);
            if (b == 'O') {
                stash.write(t.line(), t.start(i), t.length(i));
                stash.write(0);
            } else if (b == 'k' || b == 'c') {
                stash.write(b);
                stash.write(0);
            }
        }
        return stash.toByteArray();
    }

    private static void writeStashedFlags(ByteBuf out, byte[] stash, StoreRequest r) {
        int i = 0;
        while (i < stash.length) {
            int end = i;
            while (stash[end] != 0) {
                end++;
            }
            byte b = stash[i];
            if (b == 'O') {
                out.writeByte(' ');
                out.writeBytes(stash, i, end - i);
            } else if (b == 'k') {
                MetaFlags.writeKey(out, r.key, r.keyBinary);
            } else {
                flag(out, 'c').writeUnsigned(out, r.resultCas);
            }
            i = end + 1;
        }
    }

    /** md &lt;key&gt; &lt;flags&gt;*. */
    void delete(Tokens t, ByteBuf out) {
        MetaFlags f = keyAndFlags(t, out);
        if (f == null) {
            return;
        }
        if (f.opaqueTooLong) {
            out.writeBytes(OPAQUE_TOO_LONG);
            return;
        }
        byte[] refused = c.node.cluster().refuseDelete(f.key, c.storage); // drops an orphan copy here
        if (refused != null) {
            out.writeBytes(refused);
            return;
        }
        StoreStatus status;
        if (f.clear) {
            io.memring.server.watch.WriteOrigin.clearing(true);
            try {
                status = c.storage.delete(f.key, f.hasCas ? f.cas : 0, f.invalidate, f.hasTtl, f.ttl);
            } finally {
                io.memring.server.watch.WriteOrigin.clearing(false);
            }
        } else {
            status = c.storage.delete(f.key, f.hasCas ? f.cas : 0, f.invalidate, f.hasTtl, f.ttl);
        }
        byte[] code;
        switch (status) {
            case DELETED -> {
                if (!f.invalidate) {
                    c.stats.deleteHits.increment();
                }
                if (f.quiet) {
                    return;
                }
                code = HD;
            }
            case EXISTS -> {
                c.stats.deleteMisses.increment();
                code = EX;
            }
            default -> {
                c.stats.deleteMisses.increment();
                code = NF;
            }
        }
        out.writeBytes(code);
        echoOpaqueAndKey(t, out, f);
        out.writeBytes(Replies.CRLF);
    }

    /** ma &lt;key&gt; &lt;flags&gt;*. */
    void arithmetic(Tokens t, ByteBuf out) {
        MetaFlags f = keyAndFlags(t, out);
        if (f == null) {
            return;
        }
        boolean incr;
        switch (f.mode) {
            case 0, 'I', '+' -> incr = true;
            case 'D', '-' -> incr = false;
            default -> {
                Replies.writeAscii(out, "CLIENT_ERROR invalid mode for ma M token\r\n");
                return;
            }
        }
        if (f.opaqueTooLong) {
            out.writeBytes(OPAQUE_TOO_LONG);
            return;
        }
        byte[] refused = c.node.cluster().refuseWrite(f.key);
        if (refused != null) {
            out.writeBytes(refused);
            return;
        }
        ArithmeticRequest r = c.arithmetic.reset();
        r.key = f.key;
        r.keyBinary = f.keyBinary;
        r.incr = incr;
        r.delta = f.delta;
        r.compareCas = f.hasCas ? f.cas : 0;
        r.vivify = f.vivify;
        r.vivifyExptime = f.vivifyTtl;
        r.initial = f.initial;
        r.touch = f.hasTtl;
        r.touchExptime = f.ttl;
        StoreStatus status = c.storage.arithmetic(r);
        switch (status) {
            case STORED -> {
                if (!r.created) {
                    (incr ? c.stats.incrHits : c.stats.decrHits).increment();
                }
                if (f.quiet) {
                    return;
                }
                byte[] digits = Long.toUnsignedString(r.value).getBytes(StandardCharsets.US_ASCII);
                if (f.value) {
                    out.writeBytes(VA);
                    Replies.writeUnsigned(out, digits.length);
                } else {
                    out.writeByte('H').writeByte('D');
                }
                int now = c.storage.clock().now();
                for (int i = 2; i < t.count(); i++) {
                    switch (t.byteAt(i, 0)) {
                        case 'c' -> flag(out, 'c').writeUnsigned(out, r.resultCas);
                        case 't' -> {
                            flag(out, 't');
                            if (r.resultExptime == 0) {
                                out.writeByte('-').writeByte('1');
                            } else {
                                Replies.writeSigned(out, (long) r.resultExptime - now);
                            }
                        }
                        case 'O' -> MetaFlags.writeToken(out, t, i);
                        case 'k' -> MetaFlags.writeKey(out, f.key, f.keyBinary);
                        default -> { }
                    }
                }
                out.writeBytes(Replies.CRLF);
                if (f.value) {
                    out.writeBytes(digits);
                    out.writeBytes(Replies.CRLF);
                }
            }
            case NOT_FOUND, EXISTS -> {
                if (status == StoreStatus.NOT_FOUND) {
                    (incr ? c.stats.incrMisses : c.stats.decrMisses).increment();
                }
                out.writeBytes(status == StoreStatus.NOT_FOUND ? NF : EX);
                echoOpaqueAndKey(t, out, f);
                out.writeBytes(Replies.CRLF);
            }
            case NON_NUMERIC -> out.writeBytes(Replies.NON_NUMERIC);
            default -> out.writeBytes(Replies.OUT_OF_MEMORY);
        }
    }

    /** me &lt;key&gt; [b]: memcached's item debug line. */
    void debug(Tokens t, ByteBuf out) {
        if (t.memcachedCount() < 3 || t.length(1) > TextCommands.KEY_MAX_LENGTH) {
            out.writeBytes(Replies.BAD_FORMAT);
            return;
        }
        byte[] key = t.bytes(1);
        if (t.count() >= 3 && t.is(2, "b")) {
            try {
                key = java.util.Base64.getDecoder().decode(key);
            } catch (IllegalArgumentException e) {
                out.writeBytes(Replies.BAD_FORMAT);
                return;
            }
        }
        int now = c.storage.clock().now();
        boolean hit = c.storage.peek(key, item -> {
            Replies.writeAscii(out, "ME ");
            if (item.keyBinary()) {
                out.writeBytes(java.util.Base64.getEncoder().encode(item.key()));
            } else {
                out.writeBytes(item.key());
            }
            Replies.writeAscii(out, " exp=" + (item.exptime() == 0 ? -1 : now - item.exptime())
                    + " la=" + (now - item.lastAccess())
                    + " cas=" + Long.toUnsignedString(item.cas())
                    + " fetch=" + (item.fetched() ? "yes" : "no")
                    + " cls=" + (item.slabClass() + 1)
                    + " size=" + item.totalSize() + "\r\n");
        });
        if (!hit) {
            Replies.writeAscii(out, "EN\r\n");
        }
        c.stats.cmdMeta.increment();
    }

    /**
     * md and ma's common checks, in memcached's order: arity, key length, token count, then flags
     * (any flag error answered with one generic message). Returns null after replying with an error.
     */
    private MetaFlags keyAndFlags(Tokens t, ByteBuf out) {
        int n = t.memcachedCount();
        if (n < 3) {
            out.writeBytes(Replies.ERROR);
            return null;
        }
        if (t.length(1) > TextCommands.KEY_MAX_LENGTH) {
            out.writeBytes(Replies.BAD_FORMAT);
            return null;
        }
        if (n > MetaFlags.MAX_TOKENS) {
            out.writeBytes(FLAGS_TOO_LONG);
            return null;
        }
        MetaFlags f = flags(t, 2);
        if (f.error != null) {
            out.writeBytes(INVALID_OR_DUPLICATE);
            return null;
        }
        return f;
    }

    private void fail(ByteBuf out, String reply, int vlen) {
        Replies.writeAscii(out, reply);
        c.swallow(vlen + 2L);
    }

    private static void echoOpaqueAndKey(Tokens t, ByteBuf out, MetaFlags f) {
        for (int i = 2; i < t.count(); i++) {
            byte b = t.byteAt(i, 0);
            if (b == 'O') {
                MetaFlags.writeToken(out, t, i);
            } else if (b == 'k') {
                MetaFlags.writeKey(out, f.key, f.keyBinary);
            }
        }
    }

    /** Writes " &lt;c&gt;" and returns a writer for the flag's number. */
    private static FlagValue flag(ByteBuf out, char c) {
        out.writeByte(' ');
        out.writeByte(c);
        return FlagValue.INSTANCE;
    }

    /** Fluent helper so a flag and its number read as one statement. */
    private static final class FlagValue {
        static final FlagValue INSTANCE = new FlagValue();

        void writeUnsigned(ByteBuf out, long v) {
            Replies.writeUnsigned(out, v);
        }
    }
}
