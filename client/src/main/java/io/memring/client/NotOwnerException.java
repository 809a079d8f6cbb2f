package io.memring.client;

/**
 * A Memring node refused a write because another node takes this key's writes now
 * ({@code SERVER_ERROR not owner <host:port>}). The write was not applied, so sending it to the named
 * node is safe; the client does that once by itself.
 */
public class NotOwnerException extends ServerErrorException {
    private static final long serialVersionUID = 1L;

    private final String owner;

    public NotOwnerException(String message, String owner) {
        super(message);
        this.owner = owner;
    }

    /** Returns the node named by the server, {@code host:port} as spelled in its {@code --peers}. */
    public String owner() {
        return owner;
    }
}
