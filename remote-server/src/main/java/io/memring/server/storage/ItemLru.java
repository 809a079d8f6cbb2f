package io.memring.server.storage;

import static io.memring.server.storage.ItemLayout.LRU_NEXT;
import static io.memring.server.storage.ItemLayout.LRU_PREV;

/**
 * One LRU list per slab class (the lists of memcached's {@code items.c}), linked through each item's
 * {@code LRU_PREV}/{@code LRU_NEXT} fields: head = most recently used, tail = next to evict.
 *
 * <p>Unsegmented: memcached splits each class into hot, warm and cold segments; here every item is in
 * the one list, which {@code stats items} reports as cold (eviction takes from it).
 *
 * <p>Not thread-safe: every method expects the shard lock held.
 */
final class ItemLru {
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
