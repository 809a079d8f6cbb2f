package io.memring.client;

/**
 * The node refused a value larger than its item size limit ({@code SERVER_ERROR object too large for
 * cache}): memcached's and Memring's {@code -I}/{@code --max-item-size}, 1 MB by default.
 */
public class ValueTooLargeException extends ServerErrorException {
    private static final long serialVersionUID = 1L;

    public ValueTooLargeException(String message) {
        super(message);
    }
}
