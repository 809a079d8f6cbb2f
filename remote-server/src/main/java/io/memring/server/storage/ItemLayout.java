package io.memring.server.storage;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;

/**
 * The byte layout of one item inside its chunk, and accessors by handle.
 *
 * <pre>
 *  0 int   hash-chain next (free-list next while the chunk is free)
 *  4 int   LRU prev           8 int  LRU next          12 int  key hash
 * 16 long  CAS               24 int  exptime (relative seconds, 0 = never)
 * 28 int   last access time (relative seconds)
 * 32 int   client flags      36 int  value length
 * 40 byte  key length        41 byte slab class      42 byte item flags
 * 43       key bytes, then value bytes
 * </pre>
 *
 * <p>43 bytes a item, against memcached's 48 (with CAS), because links are 4-byte handles.
 */
final class ItemLayout {
    static final int H_NEXT = 0;
    static final int LRU_PREV = 4;
    static final int LRU_NEXT = 8;
    static final int HASH = 12;
    static final int CAS = 16;
    static final int EXPTIME = 24;
    static final int TIME = 28;
    static final int CLIENT_FLAGS = 32;
    static final int VALUE_LENGTH = 36;
    static final int KEY_LENGTH = 40;
    static final int SLAB_CLASS = 41;
    static final int ITEM_FLAGS = 42;
    static final int HEADER_SIZE = 43;

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
    /** Chunk flag: the chunk is free (on its class's free list, or in a page being moved). */
    static final int SLABBED = 32;
    /** Item flag: read again since it was last moved to the head of its LRU (memcached's ITEM_ACTIVE). */
    static final int ACTIVE = 64;

    static int totalSize(int keyLength, int valueLength) {
        return HEADER_SIZE + keyLength + valueLength;
    }

    /**
     * Fields are read and written by address ({@code sun.misc.Unsafe} through Netty) when the JVM allows
     * it: a ByteBuffer access checks its index and loads the buffer object each time, and the hash-chain
     * walk and key compare of every get were a third of the node's CPU under memcaslap through them
     * (benchmarks/README.md). Pages are native-order, so both paths see the same bytes.
     */
    static final boolean RAW = PlatformDependent.hasUnsafe() && PlatformDependent.isUnaligned();

    private final PagePool pool;

    ItemLayout(PagePool pool) {
        this.pool = pool;
    }

    ByteBuffer page(int h) {
        return pool.page(pool.pageOf(h));
    }

    ByteBuf view(int h) {
        return pool.pageView(pool.pageOf(h));
    }

    int off(int h) {
        return pool.offsetOf(h);
    }

    private long addr(int h) {
        return pool.itemAddress(h);
    }

    long getLong(int h, int field) {
        return RAW ? PlatformDependent.getLong(addr(h) + field) : page(h).getLong(off(h) + field);
    }

    void putLong(int h, int field, long v) {
        if (RAW) {
            PlatformDependent.putLong(addr(h) + field, v);
        } else {
            page(h).putLong(off(h) + field, v);
        }
    }

    int getInt(int h, int field) {
        return RAW ? PlatformDependent.getInt(addr(h) + field) : page(h).getInt(off(h) + field);
    }

    void putInt(int h, int field, int v) {
        if (RAW) {
            PlatformDependent.putInt(addr(h) + field, v);
        } else {
            page(h).putInt(off(h) + field, v);
        }
    }

    private int getByte(int h, int field) {
        return (RAW ? PlatformDependent.getByte(addr(h) + field) : page(h).get(off(h) + field)) & 0xff;
    }

    private void putByte(int h, int field, int v) {
        if (RAW) {
            PlatformDependent.putByte(addr(h) + field, (byte) v);
        } else {
            page(h).put(off(h) + field, (byte) v);
        }
    }

    int keyLength(int h) {
        return getByte(h, KEY_LENGTH);
    }

    int slabClass(int h) {
        return getByte(h, SLAB_CLASS);
    }

    int flags(int h) {
        return getByte(h, ITEM_FLAGS);
    }

    void setFlags(int h, int flags) {
        putByte(h, ITEM_FLAGS, flags);
    }

    void addFlags(int h, int flags) {
        setFlags(h, flags(h) | flags);
    }

    void clearFlags(int h, int flags) {
        setFlags(h, flags(h) & ~flags);
    }

    int valueLength(int h) {
        return getInt(h, VALUE_LENGTH);
    }

    int totalSize(int h) {
        return totalSize(keyLength(h), valueLength(h));
    }

    /** Writes a fresh header and the key; the value bytes are filled by the caller. */
    void init(int h, int classId, byte[] key, int hash, int clientFlags, int exptime, int valueLength, int now, int itemFlags) {
        putLong(h, H_NEXT, 0L);
        putLong(h, LRU_PREV, 0L);
        putLong(h, LRU_NEXT, 0L);
        putLong(h, CAS, 0L);
        putInt(h, HASH, hash);
        putInt(h, EXPTIME, exptime);
        putInt(h, TIME, now);
        putInt(h, CLIENT_FLAGS, clientFlags);
        putInt(h, VALUE_LENGTH, valueLength);
        putByte(h, KEY_LENGTH, key.length);
        putByte(h, SLAB_CLASS, classId);
        putByte(h, ITEM_FLAGS, itemFlags);
        if (RAW) {
            PlatformDependent.copyMemory(key, 0, addr(h) + HEADER_SIZE, key.length);
        } else {
            page(h).put(off(h) + HEADER_SIZE, key, 0, key.length);
        }
    }

    boolean keyEquals(int h, byte[] key) {
        return keyEquals(h, key, 0, key.length);
    }

    /** Compares the item's key with {@code src[off, off + len)}, eight bytes at a time when raw. */
    boolean keyEquals(int h, byte[] src, int off, int len) {
        if (keyLength(h) != len) {
            return false;
        }
        if (off < 0 || len > src.length - off) {
            throw new IndexOutOfBoundsException("key " + off + "+" + len + " of " + src.length);
        }
        if (RAW) {
            long a = addr(h) + HEADER_SIZE;
            int i = 0;
            for (; i + 8 <= len; i += 8) {
                if (PlatformDependent.getLong(a + i) != PlatformDependent.getLong(src, off + i)) {
                    return false;
                }
            }
            for (; i < len; i++) {
                if (PlatformDependent.getByte(a + i) != src[off + i]) {
                    return false;
                }
            }
            return true;
        }
        ByteBuffer p = page(h);
        int o = off(h) + HEADER_SIZE;
        for (int i = 0; i < len; i++) {
            if (p.get(o + i) != src[off + i]) {
                return false;
            }
        }
        return true;
    }

    byte[] key(int h) {
        byte[] key = new byte[keyLength(h)];
        page(h).get(off(h) + HEADER_SIZE, key);
        return key;
    }

    int valueOffset(int h) {
        return off(h) + HEADER_SIZE + keyLength(h);
    }

    /**
     * Copies the whole value into {@code out}, from the page's ByteBuf view: Netty copies by address.
     * A ByteBuffer slice per call was two short-lived objects per hit (42% of the node's allocation
     * under a 9:1 get/set load), each bringing the next young collection closer.
     */
    void copyValue(int h, ByteBuf out) {
        int len = valueLength(h);
        out.ensureWritable(len);
        int w = out.writerIndex();
        copy(view(h), valueOffset(h), out, w, len);
        out.writerIndex(w + len);
    }

    /** Copies {@code len} value bytes starting at value position {@code from} into {@code dst}. */
    void copyValue(int h, int from, byte[] dst, int dstOff, int len) {
        page(h).get(valueOffset(h) + from, dst, dstOff, len);
    }

    /** Fills value bytes [at, at+len) of item {@code h} from {@code src}'s readable bytes (not consumed). */
    void writeValue(int h, int at, ByteBuf src, int srcIndex, int len) {
        copy(src, srcIndex, view(h), valueOffset(h) + at, len);
    }

    /**
     * Copies by address when both buffers have one: Netty's adaptive (default) buffers otherwise
     * slice a ByteBuffer for every bulk copy. Bounds are checked here because a raw copy does not.
     */
    private static void copy(ByteBuf src, int srcIndex, ByteBuf dst, int dstIndex, int len) {
        if (len < 0 || srcIndex < 0 || dstIndex < 0 || srcIndex > src.capacity() - len || dstIndex > dst.capacity() - len) {
            throw new IndexOutOfBoundsException("copy of " + len + " bytes from " + srcIndex + " (capacity " + src.capacity()
                    + ") to " + dstIndex + " (capacity " + dst.capacity() + ")");
        }
        if (src.hasMemoryAddress() && dst.hasMemoryAddress()) {
            PlatformDependent.copyMemory(src.memoryAddress() + srcIndex, dst.memoryAddress() + dstIndex, len);
        } else {
            dst.setBytes(dstIndex, src, srcIndex, len);
        }
    }

    void writeValue(int h, int at, byte[] src, int srcOff, int len) {
        page(h).put(valueOffset(h) + at, src, srcOff, len);
    }

    /** Copies {@code len} value bytes from item {@code from} (starting at 0) into item {@code to} at {@code at}. */
    void copyValueBetween(int from, int to, int at, int len) {
        page(to).put(valueOffset(to) + at, page(from), valueOffset(from), len);
    }
}
