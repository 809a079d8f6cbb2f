package io.memring.client.connection;

import io.memring.client.protocol.MetaResponse;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * {@code stats repl_state}: is the node ready to serve? A Memring node answers {@code STAT repl_state
 * ready|catching_up} (and, in a cluster, {@code STAT ring_fingerprint <hex>}) then {@code END}; stock
 * memcached answers {@code ERROR} to the unknown sub-command, which proves it alive just as the
 * {@code mn} probe did, so it counts as ready.
 */
public final class ReadinessProbe extends Request<ReadinessProbe.Answer> {
    private static final byte[] COMMAND = "stats repl_state\r\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * What the node said.
     *
     * @param ready false only when the node reported {@code catching_up} (or another state than ready)
     * @param fingerprint its ring fingerprint, or null when it reported none
     */
    public record Answer(boolean ready, String fingerprint) {
    }

    private String state;
    private String fingerprint;

    @Override
    public void encode(ByteBuf out) {
        out.writeBytes(COMMAND);
    }

    @Override
    public boolean onResponse(MetaResponse r) {
        switch (r.status) {
            case STAT -> {
                int sp = r.rest.indexOf(' ');
                String name = sp < 0 ? r.rest : r.rest.substring(0, sp);
                String value = sp < 0 ? "" : r.rest.substring(sp + 1).trim();
                if (name.equals("repl_state")) {
                    state = value;
                } else if (name.equals("ring_fingerprint")) {
                    fingerprint = value;
                }
                return false;
            }
            case END -> future().complete(new Answer(state == null || state.equals("ready"), fingerprint));
            case ERROR -> future().complete(new Answer(true, null)); // stock memcached: alive, no readiness to report
            default -> future().completeExceptionally(new io.memring.client.ServerErrorException("unexpected probe reply: " + r));
        }
        return true;
    }
}
