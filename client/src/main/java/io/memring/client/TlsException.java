package io.memring.client;

/**
 * A TLS connection to a node could not be set up: the handshake failed (a certificate this client does
 * not trust, an expired one, a host name that does not match, a node that does not speak TLS) or the
 * client's TLS settings cannot be loaded. The message says which, with the JDK's reason as the cause.
 */
public class TlsException extends MemcacheException {
    private static final long serialVersionUID = 1L;

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
