package io.memring.server.storage;

import io.netty.buffer.ByteBuf;

/**
 * A read-only look at one stored item, valid only inside the callback that received it (the shard
 * lock is held meanwhile, so keep the work short: format a reply, copy the value).
 */
public final class ItemView {
    private final ItemLayout mem;
    private int handle;

    ItemView(ItemLayout mem) {
        this.mem = mem;
    }

    ItemView bind(int handle) {
        this.handle = handle;
        return this;
    }

    public int clientFlags() {
        return mem.getInt(handle, ItemLayout.CLIENT_FLAGS);
    }

    public long cas() {
        return mem.getLong(handle, ItemLayout.CAS);
    }

    /** Returns the relative expiry time, 0 = never. */
    public int exptime() {
        return mem.getInt(handle, ItemLayout.EXPTIME);
    }

    /** Returns the relative time of the last access or store. */
    public int lastAccess() {
        return mem.getInt(handle, ItemLayout.TIME);
    }

    public int valueLength() {
        return mem.valueLength(handle);
    }

    /** Returns the item's whole size in memory (header, key and value). */
    public int totalSize() {
        return mem.totalSize(handle);
    }

    public int slabClass() {
        return mem.slabClass(handle);
    }

    public boolean fetched() {
        return (mem.flags(handle) & ItemLayout.FETCHED) != 0;
    }

    public boolean stale() {
        return (mem.flags(handle) & ItemLayout.STALE) != 0;
    }

    public boolean tokenSent() {
        return (mem.flags(handle) & ItemLayout.TOKEN_SENT) != 0;
    }

    public boolean keyBinary() {
        return (mem.flags(handle) & ItemLayout.KEY_BINARY) != 0;
    }

    public byte[] key() {
        return mem.key(handle);
    }

    public int keyLength() {
        return mem.keyLength(handle);
    }

    /** Appends the value bytes to {@code out}. */
    public void copyValue(ByteBuf out) {
        mem.copyValue(handle, out);
    }
}
