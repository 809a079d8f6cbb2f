package io.memring.client;

/** The connection closed while the request was pending; it may or may not have been applied. */
public class ConnectionClosedException extends MemcacheException {
    private static final long serialVersionUID = 1L;

    public ConnectionClosedException(String message) {
        super(message);
    }

    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
