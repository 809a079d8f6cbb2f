package io.memring.client.ketama;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An immutable ketama ring: {@value #POINTS_PER_NODE} points per node at MD5 positions of
 * "{nodeKey}-{i}", four points per digest, exactly as spymemcached builds it. A key belongs to the
 * first point at or after its hash, wrapping around.
 *
 * @param <N> the node type
 */
public final class Continuum<N> {
    public static final int POINTS_PER_NODE = 160;

    private final long[] positions;
    private final Object[] owners;
    private final List<N> nodes;

    /**
     * Builds the ring. When two nodes hash to the same point, the one listed later wins, as in
     * spymemcached (its TreeMap put overwrites).
     */
    public Continuum(List<N> nodes, Function<N, String> nodeKey) {
        TreeMap<Long, N> ring = new TreeMap<>();
        for (N node : nodes) {
            String key = nodeKey.apply(node);
            for (int i = 0; i < POINTS_PER_NODE / 4; i++) {
                byte[] digest = KetamaHash.md5((key + "-" + i).getBytes(StandardCharsets.UTF_8));
                for (int g = 0; g < 4; g++) {
                    ring.put(KetamaHash.point(digest, g), node);
                }
            }
        }
        this.positions = new long[ring.size()];
        this.owners = new Object[ring.size()];
        int i = 0;
        for (Map.Entry<Long, N> e : ring.entrySet()) {
            positions[i] = e.getKey();
            owners[i] = e.getValue();
            i++;
        }
        this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
    }

    public List<N> nodes() {
        return nodes;
    }

    /** Returns the highest point on the ring (spymemcached's {@code getMaxKey}). */
    public long maxPosition() {
        return positions[positions.length - 1];
    }

    private int indexFor(long hash) {
        int i = Arrays.binarySearch(positions, hash);
        if (i < 0) {
            i = -i - 1;
        }
        return i == positions.length ? 0 : i;
    }

    /** Returns the node owning {@code hash}. */
    @SuppressWarnings("unchecked")
    public N nodeFor(long hash) {
        if (positions.length == 0) {
            throw new IllegalStateException("empty ring");
        }
        return (N) owners[indexFor(hash)];
    }

    /**
     * Returns the distinct nodes met walking clockwise from {@code hash}: the owner first, then the
     * next different node, and so on (the order replicas and failover use).
     */
    @SuppressWarnings("unchecked")
    public List<N> walk(long hash, int max) {
        List<N> out = new ArrayList<>(Math.min(max, nodes.size()));
        if (positions.length == 0) {
            return out;
        }
        int start = indexFor(hash);
        for (int step = 0; step < positions.length && out.size() < max; step++) {
            N n = (N) owners[(start + step) % positions.length];
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }
}
