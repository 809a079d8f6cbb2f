package io.memring.server.storage;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One shard's record of recent replica deletes (key, version), so that an older set arriving after
 * the delete (reordering, a resync stream crossing the live stream) is refused. Bounded twice: at
 * most {@link #MAX_ENTRIES} keys per shard, and each kept at most {@link #WINDOW_SECONDS}; past
 * either, an older set arriving late could bring the key back. Guarded by the shard lock.
 */
final class Tombstones {
    static final int MAX_ENTRIES = 4096;
    static final int WINDOW_SECONDS = 120;

    private record Entry(long version, int recorded) {
    }

    private final LinkedHashMap<ByteBuffer, Entry> byKey = new LinkedHashMap<>();

    /** Returns the version of a live tombstone for {@code key}, or 0. */
    long version(byte[] key, int now) {
        expire(now);
        Entry e = byKey.get(ByteBuffer.wrap(key));
        return e == null ? 0 : e.version;
    }

    void record(byte[] key, long version, int now) {
        expire(now);
        ByteBuffer k = ByteBuffer.wrap(key.clone());
        byKey.remove(k); // re-insert at the tail: insertion order = recording order
        byKey.put(k, new Entry(version, now));
        if (byKey.size() > MAX_ENTRIES) {
            Iterator<?> it = byKey.values().iterator();
            it.next();
            it.remove();
        }
    }

    void forget(byte[] key) {
        if (!byKey.isEmpty()) {
            byKey.remove(ByteBuffer.wrap(key));
        }
    }

    int size() {
        return byKey.size();
    }

    private void expire(int now) {
        Iterator<Map.Entry<ByteBuffer, Entry>> it = byKey.entrySet().iterator();
        while (it.hasNext() && it.next().getValue().recorded + WINDOW_SECONDS < now) {
            it.remove();
        }
    }
}
