package io.memring.client;

/** The server sent bytes that are not memcached's protocol; the connection is closed. */
public class ProtocolException extends MemcacheException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
