package io.memring.server.storage;

import io.netty.buffer.ByteBuf;

/**
 * A mutable store request, reused per connection: fill, pass to {@link Storage#store}, read
 * {@link #resultCas} after.
 */
public final class StoreRequest {
    public StoreMode mode = StoreMode.SET;
    public byte[] key;
    public boolean keyBinary;
    public int clientFlags;
    /** Relative expiry (see {@link ServerClock#toRelativeExpiry}). */
    public int exptime;
    public ByteBuf data;
    public int dataIndex;
    public int dataLength;
    /** CAS to compare; 0 = none. */
    public long compareCas;
    /** Meta {@code I}: with CAS mode, a lower CAS stores the value as stale instead of failing. */
    public boolean invalidate;
    /** The CAS of the stored item, set on success. */
    public long resultCas;

    /** Points the request at its data block: {@code length} bytes of {@code data} from {@code index}. */
    public StoreRequest withData(ByteBuf data, int index, int length) {
        this.data = data;
        this.dataIndex = index;
        this.dataLength = length;
        return this;
    }

    public StoreRequest reset() {
        mode = StoreMode.SET;
        key = null;
        keyBinary = false;
        clientFlags = 0;
        exptime = 0;
        data = null;
        dataIndex = 0;
        dataLength = 0;
        compareCas = 0;
        invalidate = false;
        resultCas = 0;
        return this;
    }
}
