package io.memring.client.protocol;

import io.memring.client.NodeNotReadyException;
import io.memring.client.NotOwnerException;
import io.memring.client.ServerErrorException;

/**
 * Turns an error reply into a typed exception. Memring nodes' cluster refusals have fixed wordings
 * (never sent by memcached): {@code SERVER_ERROR not owner <host:port>} and {@code SERVER_ERROR catching up}.
 */
public final class ErrorReplies {
    private static final String NOT_OWNER = "not owner ";
    private static final String CATCHING_UP = "catching up";

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
            }
        }
        return new ServerErrorException(r.toString());
    }
}
