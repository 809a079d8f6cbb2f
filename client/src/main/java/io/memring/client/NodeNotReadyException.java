package io.memring.client;

/**
 * A Memring node refused a command because it is still catching up after a start
 * ({@code SERVER_ERROR catching up}). Nothing was applied; the client marks the node down until its
 * probe reads {@code repl_state ready}, and sends the command to the next node on the ring.
 */
public class NodeNotReadyException extends ServerErrorException {
    private static final long serialVersionUID = 1L;

    public NodeNotReadyException(String message) {
        super(message);
    }
}
