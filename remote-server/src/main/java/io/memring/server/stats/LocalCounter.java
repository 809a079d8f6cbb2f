package io.memring.server.stats;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A counter kept as one plain {@code long} per thread and summed when read, as memcached's per-worker
 * {@code thread_stats}: an event loop counts into memory no other thread writes, with no atomic
 * instruction and no shared cache line ({@link java.util.concurrent.atomic.LongAdder} cells were
 * contended by both event loops: 5.5% of the node's CPU under memcaslap, benchmarks/README.md).
 *
 * <p>Counters of one {@link Group} share each thread's block. Reads from another thread may lag a
 * little behind; {@link #reset()} remembers the sum as the new zero instead of writing into the
 * threads' blocks, so it never races with a count.
 */
public final class LocalCounter {
    private final Group group;
    private final int index;
    private volatile long zero;

    private LocalCounter(Group group, int index) {
        this.group = group;
        this.index = index;
    }

    public void increment() {
        group.block()[index]++;
    }

    public void add(long n) {
        group.block()[index] += n;
    }

    /** Returns the count since creation or the last {@link #reset()}. */
    public long sum() {
        return group.total(index) - zero;
    }

    public void reset() {
        zero = group.total(index);
    }

    /** The counters of one node: each thread that counts gets one block holding all of them. */
    public static final class Group {
        /** Slots per block; a block is padded past them so two threads' blocks share no cache line. */
        static final int CAPACITY = 48;
        private static final int PADDING = 8;
        private final CopyOnWriteArrayList<long[]> blocks = new CopyOnWriteArrayList<>();
        private final FastThreadLocal<long[]> local = new FastThreadLocal<>() {
            @Override
            protected long[] initialValue() {
                long[] block = new long[CAPACITY + PADDING];
                blocks.add(block);
                return block;
            }
        };
        private int created;

        /** Creates a counter; at most {@value #CAPACITY} per group. */
        public synchronized LocalCounter newCounter() {
            if (created == CAPACITY) {
                throw new IllegalStateException("more than " + CAPACITY + " counters in one group");
            }
            return new LocalCounter(this, created++);
        }

        long[] block() {
            return local.get();
        }

        long total(int index) {
            long sum = 0;
            for (long[] b : blocks) {
                sum += b[index];
            }
            return sum;
        }
    }
}
