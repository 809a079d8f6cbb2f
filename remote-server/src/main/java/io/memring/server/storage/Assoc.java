package io.memring.server.storage;

import static io.memring.server.storage.ItemLayout.HASH;
import static io.memring.server.storage.ItemLayout.H_NEXT;

import java.util.function.IntConsumer;

/**
 * The hash index of one shard (memcached's {@code assoc.c}): buckets of item handles, chained through
 * each item's {@code H_NEXT} field, so the only heap cost per item is a share of one {@code int} slot.
 *
 * <p>Growth is incremental, as memcached's: past 1.5 items per bucket a table twice the size is
 * started, and every insert then migrates {@value #MIGRATE_PER_INSERT} old buckets, so no call ever
 * rehashes the whole shard under its lock. While both tables exist, a key lives in the old table if
 * its old bucket is not yet migrated, else in the new one.
 *
 * <p>{@link #scan} walks with a reverse-binary cursor (as Redis's {@code SCAN}): the table may grow,
 * or be mid-migration, between two calls, and still every item present throughout is visited
 * exactly once.
 *
 * <p>Not thread-safe: every method expects the shard lock held.
 */
final class Assoc {
    static final int INITIAL_POWER = 10;
    static final int MIGRATE_PER_INSERT = 4;

    private final ItemLayout mem;
    private int[] primary = new int[1 << INITIAL_POWER];
    /** The table being migrated from; null unless expanding. */
    private int[] old;
    /** Old buckets below this index are migrated (and empty). */
    private int expandBucket;
    private int count;

    Assoc(ItemLayout mem) {
        this.mem = mem;
    }

    private int[] tableFor(int hash) {
        return old != null && (hash & (old.length - 1)) >= expandBucket ? old : primary;
    }

    /** Returns the item with this key, live or not, or 0. */
    int find(byte[] key, int hash) {
        return find(key, 0, key.length, hash);
    }

    /** As {@link #find(byte[], int)}, the key being {@code src[off, off + len)}. */
    int find(byte[] src, int off, int len, int hash) {
        int[] t = tableFor(hash);
        int h = t[hash & (t.length - 1)];
        while (h != 0) {
            if (mem.getInt(h, HASH) == hash && mem.keyEquals(h, src, off, len)) {
                return h;
            }
            h = mem.getInt(h, H_NEXT);
        }
        return 0;
    }

    /** Returns whether item {@code h} is in this index (checked by identity, so any chunk may be asked). */
    boolean contains(int h) {
        int hash = mem.getInt(h, HASH);
        int[] t = tableFor(hash);
        for (int cur = t[hash & (t.length - 1)]; cur != 0; cur = mem.getInt(cur, H_NEXT)) {
            if (cur == h) {
                return true;
            }
        }
        return false;
    }

    /** Adds item {@code h} (its key hash already written); the key must not be present. */
    void insert(int h) {
        int hash = mem.getInt(h, HASH);
        int[] t = tableFor(hash);
        int b = hash & (t.length - 1);
        mem.putInt(h, H_NEXT, t[b]);
        t[b] = h;
        count++;
        if (old != null) {
            migrate(MIGRATE_PER_INSERT);
        } else if (count > primary.length + (primary.length >> 1)) {
            old = primary;
            primary = new int[old.length * 2];
            expandBucket = 0;
        }
    }

    /** Removes item {@code h}; returns false if it was not in the index. */
    boolean delete(int h) {
        int hash = mem.getInt(h, HASH);
        int[] t = tableFor(hash);
        int b = hash & (t.length - 1);
        int cur = t[b];
        int prev = 0;
        while (cur != 0 && cur != h) {
            prev = cur;
            cur = mem.getInt(cur, H_NEXT);
        }
        if (cur == 0) {
            return false;
        }
        int next = mem.getInt(h, H_NEXT);
        if (prev == 0) {
            t[b] = next;
        } else {
            mem.putInt(prev, H_NEXT, next);
        }
        count--;
        return true;
    }

    /** Moves up to {@code buckets} old buckets into the new table. */
    private void migrate(int buckets) {
        int mask = primary.length - 1;
        for (int i = 0; i < buckets && old != null; i++) {
            int h = old[expandBucket];
            while (h != 0) {
                int next = mem.getInt(h, H_NEXT);
                int b = mem.getInt(h, HASH) & mask;
                mem.putInt(h, H_NEXT, primary[b]);
                primary[b] = h;
                h = next;
            }
            old[expandBucket++] = 0;
            if (expandBucket == old.length) {
                old = null;
            }
        }
    }

    /**
     * Visits the items of {@code steps} cursor positions starting at {@code cursor} (0 to start).
     * The visitor may delete the item it is given, and nothing else; it must not insert. Returns the
     * next cursor, or -1 when the walk is complete.
     */
    int scan(int cursor, int steps, IntConsumer visitor) {
        int v = cursor;
        for (int i = 0; i < steps; i++) {
            int m0;
            if (old == null) {
                m0 = primary.length - 1;
                visitChain(primary[v & m0], visitor);
            } else {
                // the small table's bucket, then every big-table bucket it expands into
                m0 = old.length - 1;
                int m1 = primary.length - 1;
                visitChain(old[v & m0], visitor);
                do {
                    visitChain(primary[v & m1], visitor);
                    v = (((v | m0) + 1) & ~m0) | (v & m0);
                } while ((v & (m0 ^ m1)) != 0);
            }
            v |= ~m0;
            v = Integer.reverse(Integer.reverse(v) + 1);
            if (v == 0) {
                return -1;
            }
        }
        return v;
    }

    private void visitChain(int h, IntConsumer visitor) {
        while (h != 0) {
            int next = mem.getInt(h, H_NEXT);
            visitor.accept(h);
            h = next;
        }
    }

    int count() {
        return count;
    }

    /** Returns the bucket slots held, both tables while expanding. */
    int buckets() {
        return primary.length + (old == null ? 0 : old.length);
    }

    boolean expanding() {
        return old != null;
    }
}
