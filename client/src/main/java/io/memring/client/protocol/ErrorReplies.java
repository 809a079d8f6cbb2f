package io.memring.client.protocol;

import io.memring.client.AuthenticationException;
import io.memring.client.NodeNotReadyException;
import io.memring.client.NotOwnerException;
import io.memring.client.ServerErrorException;
import io.memring.client.ValueTooLargeException;

/**
 * Turns an error reply into a typed exception: the one place a server's error text is told apart.
 * memcached's (and our node's) {@code SERVER_ERROR object too large for cache} is a
 * {@link ValueTooLargeException}; Memring nodes' cluster refusals have fixed wordings (never sent by
 * memcached): {@code SERVER_ERROR not owner <host:port>} and {@code SERVER_ERROR catching up}.
 */
public final class ErrorReplies {
    private static final String NOT_OWNER = "not owner ";
    private static final String CATCHING_UP = "catching up";
    private static final String TOO_LARGE = "object too large for cache";
    private static final String UNAUTHENTICATED = "unauthenticated";

    private ErrorReplies() {
    }

    /** Returns the exception for an error reply ({@link MetaResponse#isError()}). */
    public static ServerErrorException toException(MetaResponse r) {
        if (r.status == MetaResponse.Status.SERVER_ERROR) {
            if (r.rest.startsWith(NOT_OWNER)) {
                String owner = r.rest.substring(NOT_OWNER.length()).trim();
                if (!owner.isEmpty() && owner.indexOf(' ') < 0 && owner.length() <= 300) {
                    return new NotOwnerException(r.toString(), owner);
                }
            } else if (r.rest.equals(CATCHING_UP)) {
                return new NodeNotReadyException(r.toString());
            } else if (r.rest.trim().equals(TOO_LARGE)) {
                return new ValueTooLargeException(r + ": the value is larger than the node's item size limit"
                        + " (-I/--max-item-size on memcached and Memring nodes, 1 MB by default)");
            }
        }
        if (r.status == MetaResponse.Status.CLIENT_ERROR && r.rest.trim().equals(UNAUTHENTICATED)) {
            return new AuthenticationException(r + ": the node requires authentication (memcached -Y) and this client"
                    + " has no credentials (ClientConfig.credentials, memring.auth.user/password)");
        }
        return new ServerErrorException(r.toString());
    }
}
