package io.memring.client;

/**
 * The server answered {@code BUSY}: the work asked for (an LRU crawl for a key scan) is already running
 * for someone else. Nothing was done; try again later. The client retries scans itself a bounded
 * number of times before reporting this.
 */
public class ServerBusyException extends ServerErrorException {
    private static final long serialVersionUID = 1L;

    public ServerBusyException(String message) {
        super(message);
    }
}
