package io.memring.client;

/** The node for this key is down or not connected, and the failover policy says fail fast. */
public class NodeUnavailableException extends MemcacheException {
    private static final long serialVersionUID = 1L;

    public NodeUnavailableException(String message) {
        super(message);
    }

    public NodeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
