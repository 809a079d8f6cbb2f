package io.memring.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SpareReadAllocatorTest {
    private final SpareReadAllocator alloc = new SpareReadAllocator(new UnpooledByteBufAllocator(true), 4096);

    /** Runs {@code body} on an event-loop-like thread (a FastThreadLocalThread) and waits for it. */
    private static <T> T onLoopThread(Supplier<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new DefaultThreadFactory("spare-test").newThread(() -> {
            try {
                result.complete(body.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.start();
        T value = result.get(10, TimeUnit.SECONDS);
        t.join(10_000);
        return value;
    }

    @Test
    void aReleasedReadBuffer_isHandedOutAgain_empty() throws Exception {
        boolean same = onLoopThread(() -> {
            ByteBuf first = alloc.ioBuffer(1024);
            first.writeBytes(new byte[] {1, 2, 3});
            first.release(); // the pipeline is done with it
            ByteBuf second = alloc.ioBuffer(1024);
            boolean reused = first == second && second.readableBytes() == 0 && second.refCnt() == 2;
            second.release();
            return reused;
        });
        assertThat(same).isTrue();
    }

    @Test
    void aReadBufferStillHeld_isNeverHandedOut_norChanged() throws Exception {
        boolean ok = onLoopThread(() -> {
            ByteBuf held = alloc.ioBuffer(1024); // e.g. kept as a decoder's cumulation
            held.writeBytes(new byte[] {7, 8, 9});
            ByteBuf next = alloc.ioBuffer(1024);
            next.writeBytes(new byte[] {1, 1, 1, 1});
            boolean distinct = next != held && held.readableBytes() == 3 && held.getByte(0) == 7;
            next.release();
            held.release();
            return distinct;
        });
        assertThat(ok).isTrue();
    }

    @Test
    void noSpare_offTheEventLoop_orPastTheLimit() throws Exception {
        ByteBuf a = alloc.ioBuffer(1024);
        a.release();
        ByteBuf b = alloc.ioBuffer(1024);
        assertThat(b).isNotSameAs(a); // a plain thread gets none
        b.release();
        boolean bigReused = onLoopThread(() -> {
            ByteBuf big = alloc.ioBuffer(8192);
            big.release();
            ByteBuf again = alloc.ioBuffer(8192);
            boolean same = again == big;
            again.release();
            return same;
        });
        assertThat(bigReused).isFalse();
        assertThat(a.refCnt()).isZero();
    }

    @Test
    void theSpare_isReleasedWhenItsThreadEnds() throws Exception {
        ByteBuf spare = onLoopThread(() -> {
            ByteBuf buf = alloc.ioBuffer(1024);
            buf.release();
            return buf; // only the thread's spare reference is left
        });
        assertThat(spare.refCnt()).isZero();
    }

    @Test
    void aSpareThatGrewPastTheLimit_isDropped() throws Exception {
        boolean dropped = onLoopThread(() -> {
            ByteBuf buf = alloc.ioBuffer(1024);
            buf.writeBytes(new byte[8192]); // grown while held (a cumulation)
            buf.release();
            ByteBuf next = alloc.ioBuffer(1024);
            boolean fresh = next != buf && next.capacity() <= 4096 && buf.refCnt() == 0;
            next.release();
            return fresh;
        });
        assertThat(dropped).isTrue();
    }

    @Test
    void epollsReadPath_directBufferOfOneArgument_reusesToo_butSizedRequestsDoNot() throws Exception {
        boolean ok = onLoopThread(() -> {
            ByteBuf first = alloc.directBuffer(1024);
            first.release();
            ByteBuf second = alloc.directBuffer(1024);
            boolean reused = second == first;
            second.release();
            ByteBuf block = alloc.directBuffer(100, 100); // a data block sized exactly: never the spare
            boolean blockFresh = block != first && block.maxCapacity() == 100;
            block.release();
            return reused && blockFresh;
        });
        assertThat(ok).isTrue();
    }
}
