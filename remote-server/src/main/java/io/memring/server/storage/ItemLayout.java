package io.memring.server.storage;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * The byte layout of one item inside its chunk, and accessors by handle.
 *
 * <pre>
 *  0 long  hash-chain next (free-list next while the chunk is free)
 *  8 long  LRU prev          16 long LRU next
 * 24 long  CAS               32 int  key hash
 * 36 int   exptime (relative seconds, 0 = never)
 * 40 int   last access time (relative seconds)
 * 44 int   client flags      48 int  value length
 * 52 byte  key length        53 byte slab class      54 byte item flags
 * 55       key bytes, then value bytes
 * </pre>
 */
final class ItemLayout {
    static final int H_NEXT = 0;
    static final int LRU_PREV = 8;
    static final int LRU_NEXT = 16;
    static final int CAS = 24;
    static final int HASH = 32;
    static final int EXPTIME = 36;
    static final int TIME = 40;
    static final int CLIENT_FLAGS = 44;
    static final int VALUE_LENGTH = 48;
    static final int KEY_LENGTH = 52;
    static final int SLAB_CLASS = 53;
    static final int ITEM_FLAGS = 54;
    static final int HEADER_SIZE = 55;

    /** Item flag: the chunk holds a live item linked into the hash and LRU. */
    static final int LINKED = 1;
    /** Item flag: the item was read at least once since it was stored. */
    static final int FETCHED = 2;
    /** Item flag: the item was marked stale by a meta invalidate. */
    static final int STALE = 4;
    /** Item flag: a win token (W) was handed out for this item. */
    static final int TOKEN_SENT = 8;
    /** Item flag: the key was given base64-encoded (binary key). */
    static final int KEY_BINARY = 16;

    static int totalSize(int keyLength, int valueLength) {
        return HEADER_SIZE + keyLength + valueLength;
    }

    private final PagePool pool;

    ItemLayout(PagePool pool) {
        this.pool = pool;
    }

    ByteBuffer page(long h) {
        return pool.page(PagePool.pageOf(h));
    }

    static int off(long h) {
        return PagePool.offsetOf(h);
    }

    long getLong(long h, int field) {
        return page(h).getLong(off(h) + field);
    }

    void putLong(long h, int field, long v) {
        page(h).putLong(off(h) + field, v);
    }

    int getInt(long h, int field) {
        return page(h).getInt(off(h) + field);
    }

    void putInt(long h, int field, int v) {
        page(h).putInt(off(h) + field, v);
    }

    int keyLength(long h) {
        return page(h).get(off(h) + KEY_LENGTH) & 0xff;
    }

    int slabClass(long h) {
        return page(h).get(off(h) + SLAB_CLASS) & 0xff;
    }

    int flags(long h) {
        return page(h).get(off(h) + ITEM_FLAGS) & 0xff;
    }

    void setFlags(long h, int flags) {
        page(h).put(off(h) + ITEM_FLAGS, (byte) flags);
    }

    void addFlags(long h, int flags) {
        setFlags(h, flags(h) | flags);
    }

    void clearFlags(long h, int flags) {
        setFlags(h, flags(h) & ~flags);
    }

    int valueLength(long h) {
        return getInt(h, VALUE_LENGTH);
    }

    int totalSize(long h) {
        return totalSize(keyLength(h), valueLength(h));
    }

    /** Writes a fresh header and the key; the value bytes are filled by the caller. */
    void init(long h, int classId, byte[] key, int hash, int clientFlags, int exptime, int valueLength, int now, int itemFlags) {
        ByteBuffer p = page(h);
        int o = off(h);
        p.putLong(o + H_NEXT, 0L);
        p.putLong(o + LRU_PREV, 0L);
        p.putLong(o + LRU_NEXT, 0L);
        p.putLong(o + CAS, 0L);
        p.putInt(o + HASH, hash);
        p.putInt(o + EXPTIME, exptime);
        p.putInt(o + TIME, now);
        p.putInt(o + CLIENT_FLAGS, clientFlags);
        p.putInt(o + VALUE_LENGTH, valueLength);
        p.put(o + KEY_LENGTH, (byte) key.length);
        p.put(o + SLAB_CLASS, (byte) classId);
        p.put(o + ITEM_FLAGS, (byte) itemFlags);
        p.put(o + HEADER_SIZE, key, 0, key.length);
    }

    boolean keyEquals(long h, byte[] key) {
        if (keyLength(h) != key.length) {
            return false;
        }
        ByteBuffer p = page(h);
        int o = off(h) + HEADER_SIZE;
        for (int i = 0; i < key.length; i++) {
            if (p.get(o + i) != key[i]) {
                return false;
            }
        }
        return true;
    }

    byte[] key(long h) {
        byte[] key = new byte[keyLength(h)];
        page(h).get(off(h) + HEADER_SIZE, key);
        return key;
    }

    int valueOffset(long h) {
        return off(h) + HEADER_SIZE + keyLength(h);
    }

    /** Copies the whole value into {@code out}. */
    void copyValue(long h, ByteBuf out) {
        int len = valueLength(h);
        ByteBuffer p = page(h);
        out.writeBytes(p.slice(valueOffset(h), len));
    }

    /** Copies {@code len} value bytes starting at value position {@code from} into {@code dst}. */
    void copyValue(long h, int from, byte[] dst, int dstOff, int len) {
        page(h).get(valueOffset(h) + from, dst, dstOff, len);
    }

    /** Fills value bytes [at, at+len) of item {@code h} from {@code src}'s readable bytes (not consumed). */
    void writeValue(long h, int at, ByteBuf src, int srcIndex, int len) {
        ByteBuffer dst = page(h).slice(valueOffset(h) + at, len);
        src.getBytes(srcIndex, dst);
    }

    void writeValue(long h, int at, byte[] src, int srcOff, int len) {
        page(h).put(valueOffset(h) + at, src, srcOff, len);
    }

    /** Copies {@code len} value bytes from item {@code from} (starting at 0) into item {@code to} at {@code at}. */
    void copyValueBetween(long from, long to, int at, int len) {
        ByteBuffer src = page(from).slice(valueOffset(from), len);
        page(to).put(valueOffset(to) + at, src, 0, len);
    }
}
