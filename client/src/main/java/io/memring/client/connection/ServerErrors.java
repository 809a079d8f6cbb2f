package io.memring.client.connection;

import io.memring.client.ServerErrorException;
import io.memring.client.ValueTooLargeException;
import io.memring.client.protocol.MetaResponse;

/** The typed exception for an error reply: the one place a server's error text is told apart. */
final class ServerErrors {
    /** memcached's (and our node's) reply to a value above the item size limit. */
    static final String TOO_LARGE = "object too large for cache";

    private ServerErrors() {
    }

    static ServerErrorException of(MetaResponse r) {
        if (r.status == MetaResponse.Status.SERVER_ERROR && r.rest.trim().equals(TOO_LARGE)) {
            return new ValueTooLargeException(r + ": the value is larger than the node's item size limit"
                    + " (-I/--max-item-size on memcached and Memring nodes, 1 MB by default)");
        }
        return new ServerErrorException(r.toString());
    }
}
