package io.memring.client;

/** Too many requests are in flight to one node (or its socket is backed up); retry later. */
public class OverloadException extends MemcacheException {
    private static final long serialVersionUID = 1L;

    public OverloadException(String message) {
        super(message);
    }

    public OverloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
