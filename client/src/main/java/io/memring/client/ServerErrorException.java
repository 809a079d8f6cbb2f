package io.memring.client;

/** The server answered ERROR, CLIENT_ERROR or SERVER_ERROR; the message is the server's. */
public class ServerErrorException extends MemcacheException {
    private static final long serialVersionUID = 1L;

    public ServerErrorException(String message) {
        super(message);
    }

    public ServerErrorException(String message, Throwable cause) {
        super(message, cause);
    }
}
