package io.memring.server.storage;

/**
 * The one place every successful mutation is reported: shards call it under their lock, {@link
 * Storage#flushAll(long)} for flushes, and it hands each report to the {@link MutationListener}
 * installed with {@link Storage#setMutationListener}.
 */
final class Mutations {
    private volatile MutationListener listener = MutationListener.NONE;

    void setListener(MutationListener listener) {
        this.listener = listener == null ? MutationListener.NONE : listener;
    }

    void stored(ItemView item) {
        listener.stored(item);
    }

    void stored(ItemView item, ItemView previous, boolean created) {
        listener.stored(item, previous, created);
    }

    void counted(ItemView item, byte[] oldValue) {
        listener.counted(item, oldValue);
    }

    void removed(ItemView item, MutationListener.Removal cause) {
        listener.removed(item, cause);
    }

    void flushed(long exptime, long watermark) {
        listener.flushed(exptime, watermark);
    }

    void flushApplied(long unixTime, long watermark) {
        listener.flushApplied(unixTime, watermark);
    }
}
