package io.memring.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * The client channels' allocator: every request is delegated, except socket read buffers
 * ({@link #ioBuffer}, and {@link #directBuffer(int)}, which the epoll transport's read path calls),
 * which each event loop thread reuses. A request/response client's read is
 * consumed whole by the decoder and released at once, so allocating a fresh pooled buffer for every
 * read (Netty's adaptive allocator: magazine lookup, a recycled buffer object, reference count setup
 * and teardown) was ~3% of the node's CPU under memcaslap's load (benchmarks/README.md, "Fourth pass").
 *
 * <p>The thread keeps one reference to its spare and hands it out again only when that is the only
 * reference left ({@code refCnt() == 1}): a read buffer still held (kept as the decoder's
 * cumulation for a partial request, or queued anywhere) is never touched, and the next read gets a
 * fresh buffer from the delegate. So the reuse is invisible to every holder of a buffer, as with the
 * decoder's reused reply buffer. A spare is at most {@code maxSpare} bytes (the node passes its
 * largest read, so no read grows past it), one per event loop thread, released when the thread ends; other
 * threads get no spare.
 */
public final class SpareReadAllocator implements ByteBufAllocator {
    private final ByteBufAllocator delegate;
    private final int maxSpare;
    /** One spare per thread, whichever allocator put it there (a thread serves one event loop). */
    private static final FastThreadLocal<ByteBuf> SPARE = new FastThreadLocal<>() {
        @Override
        protected void onRemoval(ByteBuf b) {
            if (b != null) {
                b.release();
            }
        }
    };

    public SpareReadAllocator(ByteBufAllocator delegate, int maxSpare) {
        this.delegate = delegate;
        this.maxSpare = maxSpare;
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
        return read(initialCapacity, Integer.MAX_VALUE);
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
        return read(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf ioBuffer() {
        return delegate.ioBuffer();
    }

    private ByteBuf read(int initialCapacity, int maxCapacity) {
        if (!(Thread.currentThread() instanceof FastThreadLocalThread) || initialCapacity > maxSpare) {
            return delegate.directBuffer(initialCapacity, maxCapacity);
        }
        ByteBuf s = SPARE.get();
        // (a decoder holding it as its cumulation may have grown it: then it is no spare any more)
        if (s != null && s.refCnt() == 1 && s.capacity() >= initialCapacity && s.capacity() <= maxSpare
                && s.maxCapacity() <= maxCapacity) {
            return s.retain().clear();
        }
        ByteBuf b = delegate.directBuffer(initialCapacity, maxCapacity);
        if (b.capacity() <= maxSpare && (s == null || s.refCnt() == 1)) {
            // adopt the new buffer as the spare (replacing one too small, or a first one)
            if (s != null) {
                s.release();
            }
            SPARE.set(b.retain());
        }
        return b;
    }

    @Override
    public ByteBuf buffer() {
        return delegate.buffer();
    }

    @Override
    public ByteBuf buffer(int initialCapacity) {
        return delegate.buffer(initialCapacity);
    }

    @Override
    public ByteBuf buffer(int initialCapacity, int maxCapacity) {
        return delegate.buffer(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf heapBuffer() {
        return delegate.heapBuffer();
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity) {
        return delegate.heapBuffer(initialCapacity);
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
        return delegate.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf directBuffer() {
        return delegate.directBuffer();
    }

    /** Epoll's read path asks for its buffer here (through Netty's {@code PreferredDirectByteBufAllocator}). */
    @Override
    public ByteBuf directBuffer(int initialCapacity) {
        return read(initialCapacity, Integer.MAX_VALUE);
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity, int maxCapacity) {
        return delegate.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public CompositeByteBuf compositeBuffer() {
        return delegate.compositeBuffer();
    }

    @Override
    public CompositeByteBuf compositeBuffer(int maxNumComponents) {
        return delegate.compositeBuffer(maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer() {
        return delegate.compositeHeapBuffer();
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return delegate.compositeHeapBuffer(maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer() {
        return delegate.compositeDirectBuffer();
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return delegate.compositeDirectBuffer(maxNumComponents);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return delegate.isDirectBufferPooled();
    }

    @Override
    public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
        return delegate.calculateNewCapacity(minNewCapacity, maxCapacity);
    }
}
