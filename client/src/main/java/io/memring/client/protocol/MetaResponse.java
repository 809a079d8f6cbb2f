package io.memring.client.protocol;

/**
 * One reply from the server: a meta status ({@code VA HD EN NS EX NF MN}), a text-protocol status
 * ({@code OK}, {@code VERSION}), or an error line ({@code ERROR}, {@code CLIENT_ERROR},
 * {@code SERVER_ERROR}), with the return flags memcached sent.
 */
public final class MetaResponse {
    /** Reply kinds. */
    public enum Status {
        VA, HD, EN, NS, EX, NF, MN, OK, VERSION, ERROR, CLIENT_ERROR, SERVER_ERROR,
        /** One {@code lru_crawler metadump} line ("key=… exp=… …"); {@link #rest} holds it whole. */
        METADUMP,
        /** The {@code END} that closes a metadump. */
        END,
        /** memcached's {@code BUSY …}: the crawler is already running; try again. */
        BUSY,
        /** One {@code STAT <name> <value>} line of a {@code stats} reply; {@link #rest} holds "name value". */
        STAT
    }

    public final Status status;
    /** Value bytes for VA, else null. */
    public final byte[] value;
    /** The rest of the line after the status (flags, or the error message). */
    public final String rest;
    public long cas;
    public int clientFlags;
    /** Opaque token without its leading 'O', or null. */
    public String opaque;
    public byte[] keyToken;
    public boolean keyBase64;
    public int ttl = Integer.MIN_VALUE;
    public boolean win;
    public boolean stale;

    MetaResponse(Status status, byte[] value, String rest) {
        this.status = status;
        this.value = value;
        this.rest = rest;
    }

    public boolean isError() {
        return status == Status.ERROR || status == Status.CLIENT_ERROR || status == Status.SERVER_ERROR;
    }

    @Override
    public String toString() {
        return status + (rest.isEmpty() ? "" : " " + rest);
    }
}
