package io.memring.client.it;

import io.memring.client.watch.Mutation;
import io.memring.client.watch.MutationKind;
import io.memring.client.watch.MutationSink;
import io.memring.client.watch.ResetReason;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps everything a subscription delivered, for assertions (thread-safe). */
final class RecordingSink implements MutationSink {
    final List<Mutation> mutations = new CopyOnWriteArrayList<>();
    final List<String> resets = new CopyOnWriteArrayList<>();
    final List<String> subscribed = new CopyOnWriteArrayList<>();
    final List<String> all = new CopyOnWriteArrayList<>();

    @Override
    public void mutation(Mutation m) {
        mutations.add(m);
        all.add(m.kind() + " " + new String(m.key(), StandardCharsets.ISO_8859_1));
    }

    @Override
    public void reset(InetSocketAddress node, ResetReason reason) {
        resets.add(reason.name());
        all.add("reset " + reason);
    }

    @Override
    public void subscribed(InetSocketAddress node, long bootId) {
        subscribed.add(Long.toHexString(bootId));
        all.add("subscribed");
    }

    List<MutationKind> kinds() {
        return mutations.stream().map(Mutation::kind).toList();
    }

    static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }
}
