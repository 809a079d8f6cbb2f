package io.memring.jcache;

import javax.cache.CacheException;

/**
 * Closes several resources, each even when an earlier one failed, and collects the failures as
 * suppressed exceptions of one {@link CacheException}.
 */
final class Closer {
    private final String what;
    private CacheException failure;

    Closer(String what) {
        this.what = what;
    }

    /** Closes {@code resource} if it is {@link AutoCloseable} (loaders, writers, policies may be). */
    Closer close(Object resource) {
        if (resource instanceof AutoCloseable c) {
            run(() -> {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CacheException("closing " + c + " failed", e);
                }
            });
        }
        return this;
    }

    /** Runs one close step. */
    Closer run(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = new CacheException("closing " + what + " failed");
            }
            failure.addSuppressed(e);
        }
        return this;
    }

    /** Returns the collected failures as one exception, or null if every step succeeded. */
    CacheException failure() {
        return failure;
    }
}
