package io.memring.client;

import java.net.InetSocketAddress;

/**
 * A node as the client sees it.
 *
 * @param address the server
 * @param up false while marked down
 * @param connected whether a connection is open
 * @param inFlight requests queued or awaiting replies
 * @param failures failures counted so far (timeouts, closed or refused connections)
 * @param downEvents times the node was marked down
 * @param upEvents times it came back
 * @param probesAnswered probes of the node while down that it answered (whether or not its quarantine
 *     was over)
 */
public record NodeStatus(InetSocketAddress address, boolean up, boolean connected, int inFlight, long failures,
                         long downEvents, long upEvents, long probesAnswered) {
}
