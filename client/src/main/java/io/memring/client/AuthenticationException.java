package io.memring.client;

/**
 * The node refused this client's credentials ({@code CLIENT_ERROR authentication failure}), or asked
 * for authentication this client was not configured with ({@code CLIENT_ERROR unauthenticated}). Not
 * retried at once: the connection is closed and tried again only after the longest reconnect delay.
 * Its message names the node and the user, never the password. A {@link ServerErrorException}
 * because it is the node's answer.
 */
public class AuthenticationException extends ServerErrorException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
