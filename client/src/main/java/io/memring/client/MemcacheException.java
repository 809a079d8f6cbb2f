package io.memring.client;

/** A memcached operation failed; the base of the client's typed errors. */
public class MemcacheException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MemcacheException(String message) {
        super(message);
    }

    public MemcacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
