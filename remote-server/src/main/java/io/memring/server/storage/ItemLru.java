package io.memring.server.storage;

import static io.memring.server.storage.ItemLayout.ACTIVE;
import static io.memring.server.storage.ItemLayout.LRU_NEXT;
import static io.memring.server.storage.ItemLayout.LRU_PREV;

/**
 * One LRU list per slab class (the lists of memcached's {@code items.c}), linked through each item's
 * {@code LRU_PREV}/{@code LRU_NEXT} fields: head = most recently used, tail = next to evict.
 *
 * <p>Unsegmented: memcached splits each class into hot, warm and cold segments; here every item is in
 * the one list, which {@code stats items} reports as cold (eviction takes from it).
 *
 * <p>A hit relinks an item only if it was idle for {@value #UPDATE_INTERVAL} s or more (memcached's
 * {@code ITEM_UPDATE_INTERVAL}); a hit sooner only marks it {@code ACTIVE}, so a hot item costs no
 * writes to its neighbours. The mark buys a second chance at the tail: {@link #victim} relinks an
 * active tail item at the head instead of handing it out for eviction, as memcached moves an active
 * item out of its cold LRU rather than evicting it.
 *
 * <p>Not thread-safe: every method expects the shard lock held.
 */
final class ItemLru {
    /** Seconds an item must have been idle before a hit moves it to the head (memcached's value). */
    static final int UPDATE_INTERVAL = 60;
    /** Active tail items given a second chance per eviction, as memcached's tail pull tries 5 items. */
    static final int SECOND_CHANCES = 5;

    private final ItemLayout mem;
    private final int[] head;
    private final int[] tail;
    private final int[] size;

    ItemLru(ItemLayout mem, int classes) {
        this.mem = mem;
        this.head = new int[classes];
        this.tail = new int[classes];
        this.size = new int[classes];
    }

    /** Links a new item at the head of its class's list. */
    void link(int h) {
        int c = mem.slabClass(h);
        int first = head[c];
        mem.putInt(h, LRU_PREV, 0);
        mem.putInt(h, LRU_NEXT, first);
        if (first != 0) {
            mem.putInt(first, LRU_PREV, h);
        } else {
            tail[c] = h;
        }
        head[c] = h;
        size[c]++;
    }

    void unlink(int h) {
        int c = mem.slabClass(h);
        int prev = mem.getInt(h, LRU_PREV);
        int next = mem.getInt(h, LRU_NEXT);
        if (prev != 0) {
            mem.putInt(prev, LRU_NEXT, next);
        } else {
            head[c] = next;
        }
        if (next != 0) {
            mem.putInt(next, LRU_PREV, prev);
        } else {
            tail[c] = prev;
        }
        mem.putInt(h, LRU_PREV, 0);
        mem.putInt(h, LRU_NEXT, 0);
        size[c]--;
    }

    /**
     * Records a hit on an item idle for {@code idleSeconds} (since its previous access): relinks it at
     * the head if that is at least {@link #UPDATE_INTERVAL}, else marks it active. Returns whether it
     * moved.
     */
    boolean hit(int h, int idleSeconds) {
        int flags = mem.flags(h);
        if (idleSeconds < UPDATE_INTERVAL) {
            if ((flags & ACTIVE) == 0) {
                mem.setFlags(h, flags | ACTIVE);
            }
            return false;
        }
        mem.setFlags(h, flags & ~ACTIVE);
        return bump(h);
    }

    /**
     * Returns the item of class {@code c} to evict, or 0: the least recently used one other than
     * {@code pinned} (0 = none). Up to {@link #SECOND_CHANCES} active items met at the tail are
     * relinked at the head, their mark cleared, before one is chosen.
     */
    int victim(int c, int pinned) {
        for (int i = 0; ; i++) {
            int h = tail[c];
            if (h != 0 && h == pinned) {
                h = newer(h);
            }
            if (h == 0 || i == SECOND_CHANCES) {
                return h;
            }
            int flags = mem.flags(h);
            if ((flags & ACTIVE) == 0) {
                return h;
            }
            mem.setFlags(h, flags & ~ACTIVE);
            bump(h);
        }
    }

    /** Moves an item to the head of its list; returns false if it was there already. */
    boolean bump(int h) {
        if (head[mem.slabClass(h)] == h) {
            return false;
        }
        unlink(h);
        link(h);
        return true;
    }

    /** Returns the least recently used item of class {@code c}, or 0. */
    int tail(int c) {
        return tail[c];
    }

    /** Returns the item used just before {@code h}, or 0. */
    int newer(int h) {
        return mem.getInt(h, LRU_PREV);
    }

    int size(int c) {
        return size[c];
    }
}
