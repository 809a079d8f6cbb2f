package io.memring.client;

/** No reply within the request timeout; the request may or may not have been applied. */
public class RequestTimeoutException extends MemcacheException {
    private static final long serialVersionUID = 1L;

    public RequestTimeoutException(String message) {
        super(message);
    }

    public RequestTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
