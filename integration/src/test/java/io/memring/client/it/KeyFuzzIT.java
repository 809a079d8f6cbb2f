package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ClientConfig;
import io.memring.client.GetResult;
import io.memring.client.InvalidKeyException;
import io.memring.client.Key;
import io.memring.client.MemcacheClients;
import io.memring.client.StoreResult;
import io.memring.client.routing.RingClient;
import io.memring.integration.Cluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random batches mixing valid and invalid keys (too long, spaces, control characters, binary, empty),
 * from several threads at once on shared connections. Every value is derived from the key it was
 * written under, so a reply that reached another request shows up as a value that does not match its
 * key. Invalid keys must fail their operation with {@link InvalidKeyException} and disturb nothing
 * else. Bounded: {@value #THREADS} threads x {@value #ROUNDS} rounds, with a fixed seed per thread.
 *
 * <p>A written key that reads as a miss is a correct cache answer only if the node evicted something:
 * misses are collected apart and must be zero when the nodes report no evictions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyFuzzIT {
    private static final int THREADS = 4;
    private static final int ROUNDS = 150;
    private static final long SEED = 0x5eed_0009L;

    private final List<Cluster> clusters = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        clusters.add(Cluster.memring(2));
        clusters.add(Cluster.memcached(2));
    }

    @AfterAll
    void stop() {
        clusters.forEach(Cluster::stop);
    }

    List<Cluster> clusters() {
        return clusters;
    }

    /** The value stored under {@code key}: a function of the key, so a misdelivered reply is visible. */
    private static byte[] valueOf(byte[] key) {
        return ("value-of:" + Base64.getEncoder().encodeToString(key)).getBytes(StandardCharsets.US_ASCII);
    }

    private enum Kind {
        PLAIN(true), WITH_SPACES(true), CONTROL_CHARS(true), BINARY(true), LONGEST_PLAIN(true), LONGEST_BINARY(true),
        EMPTY(false), PLAIN_TOO_LONG(false), BINARY_TOO_LONG(false), SPACES_TOO_LONG(false), CONTROL_TOO_LONG(false);

        final boolean valid;

        Kind(boolean valid) {
            this.valid = valid;
        }
    }

    /** Makes a key of {@code kind}, unique to (thread, n), so each thread can check its own writes. */
    private static byte[] key(Kind kind, int thread, int n, Random random) {
        byte[] id = ("f" + thread + "-" + n + "-").getBytes(StandardCharsets.US_ASCII);
        return switch (kind) {
            case PLAIN -> pad(id, id.length + random.nextInt(40), 'p', random, false);
            case WITH_SPACES -> withByte(pad(id, id.length + 2 + random.nextInt(60), 's', random, false), (byte) ' ', random);
            case CONTROL_CHARS -> withByte(pad(id, id.length + 2 + random.nextInt(60), 'c', random, false),
                    (byte) (random.nextBoolean() ? '\r' : '\n'), random);
            case BINARY -> pad(id, id.length + 1 + random.nextInt(Key.MAX_BASE64_LENGTH - id.length), 'b', random, true);
            case LONGEST_PLAIN -> pad(id, Key.MAX_LENGTH, 'l', random, false);
            case LONGEST_BINARY -> pad(id, Key.MAX_BASE64_LENGTH, 'B', random, true);
            case EMPTY -> new byte[0];
            case PLAIN_TOO_LONG -> pad(id, Key.MAX_LENGTH + 1 + random.nextInt(200), 'L', random, false);
            case BINARY_TOO_LONG -> pad(id, Key.MAX_BASE64_LENGTH + 1 + random.nextInt(100), 'X', random, true);
            case SPACES_TOO_LONG -> withByte(pad(id, Key.MAX_BASE64_LENGTH + 1 + random.nextInt(64), 'S', random, false),
                    (byte) ' ', random);
            case CONTROL_TOO_LONG -> withByte(pad(id, Key.MAX_BASE64_LENGTH + 1 + random.nextInt(64), 'C', random, false),
                    (byte) 0x01, random);
        };
    }

    private static byte[] pad(byte[] id, int length, char fill, Random random, boolean binary) {
        byte[] k = Arrays.copyOf(id, length);
        for (int i = id.length; i < length; i++) {
            k[i] = binary ? (byte) random.nextInt(256) : (byte) fill;
        }
        return k;
    }

    /** Puts {@code b} somewhere after the unique id (which ends at the first '-' after the counter). */
    private static byte[] withByte(byte[] k, byte b, Random random) {
        int idEnd = new String(k, StandardCharsets.ISO_8859_1).indexOf('-', 3) + 1;
        k[idEnd + random.nextInt(k.length - idEnd)] = b;
        return k;
    }

    private static Throwable failure(CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    /** What one thread saw: wrong or failed replies, and misses of keys it had written. */
    private record Outcome(List<String> problems, List<String> misses) {
    }

    /** One thread's work. */
    private static Outcome fuzz(RingClient client, int thread) {
        Random random = new Random(SEED + thread);
        List<String> problems = new ArrayList<>();
        List<String> misses = new ArrayList<>();
        Kind[] kinds = Kind.values();
        Map<Key, byte[]> written = new LinkedHashMap<>();
        Map<Key, String> origin = new java.util.HashMap<>();
        int n = 0;
        for (int round = 0; round < ROUNDS && problems.size() < 20; round++) {
            List<byte[]> batch = new ArrayList<>();
            boolean allValid = true;
            int size = 1 + random.nextInt(12);
            for (int i = 0; i < size; i++) {
                Kind kind = random.nextInt(4) == 0 ? kinds[random.nextInt(kinds.length)] : kinds[random.nextInt(6)];
                byte[] k = key(kind, thread, n++, random);
                if (Key.isValid(k) != kind.valid) {
                    problems.add("generator: " + kind + " key of " + k.length + " bytes");
                }
                allValid &= kind.valid;
                batch.add(k);
            }
            String where = "round " + round + " of thread " + thread;
            switch (random.nextInt(4)) {
                case 0 -> { // setMany
                    Map<Key, byte[]> entries = new LinkedHashMap<>();
                    batch.forEach(k -> entries.put(Key.of(k), valueOf(k)));
                    CompletableFuture<Map<Key, StoreResult.Status>> f = client.setMany(entries, 0, 0);
                    Throwable t = failure(f);
                    if (allValid) {
                        if (t != null || !f.join().isEmpty()) {
                            problems.add(where + ": setMany of valid keys: " + (t != null ? t : f.join()));
                        } else {
                            entries.forEach(written::put);
                            entries.keySet().forEach(k -> origin.put(k, "setMany@" + where));
                        }
                    } else if (!(t instanceof InvalidKeyException)) {
                        problems.add(where + ": setMany with an invalid key gave " + t);
                    }
                }
                case 1 -> { // getMany of earlier writes plus the new keys
                    List<byte[]> keys = new ArrayList<>(batch);
                    List<Key> earlier = new ArrayList<>(written.keySet());
                    for (int i = 0; i < 5 && !earlier.isEmpty(); i++) {
                        keys.add(earlier.get(random.nextInt(earlier.size())).bytes());
                    }
                    CompletableFuture<Map<Key, GetResult>> f = client.getMany(keys);
                    Throwable t = failure(f);
                    if (!allValid) {
                        if (!(t instanceof InvalidKeyException)) {
                            problems.add(where + ": getMany with an invalid key gave " + t);
                        }
                    } else if (t != null) {
                        problems.add(where + ": getMany of valid keys failed: " + t);
                    } else {
                        for (byte[] k : keys) {
                            GetResult hit = f.join().get(Key.of(k));
                            boolean expected = written.containsKey(Key.of(k));
                            if (expected && hit == null) {
                                misses.add(where + ": getMany missed " + Key.of(k) + ", written by " + origin.get(Key.of(k)));
                            } else if (!expected && hit != null || hit != null && !Arrays.equals(hit.value(), valueOf(k))) {
                                problems.add(where + ": getMany gave " + (hit == null ? "a miss" : new String(hit.value(),
                                        StandardCharsets.ISO_8859_1)) + " for " + Key.of(k) + " from " + origin.get(Key.of(k)));
                            }
                        }
                    }
                }
                case 2 -> { // single sets then gets, pipelined
                    List<CompletableFuture<StoreResult>> sets = new ArrayList<>();
                    batch.forEach(k -> sets.add(client.set(k, valueOf(k), 0, 0)));
                    List<CompletableFuture<GetResult>> gets = new ArrayList<>();
                    batch.forEach(k -> gets.add(client.get(k)));
                    for (int i = 0; i < batch.size(); i++) {
                        byte[] k = batch.get(i);
                        Throwable st = failure(sets.get(i));
                        Throwable gt = failure(gets.get(i));
                        if (!Key.isValid(k)) {
                            if (!(st instanceof InvalidKeyException) || !(gt instanceof InvalidKeyException)) {
                                problems.add(where + ": single ops on an invalid key gave " + st + " / " + gt);
                            }
                        } else if (st != null || gt != null) {
                            problems.add(where + ": single ops on a valid key failed: " + st + " / " + gt);
                        } else {
                            written.put(Key.of(k), valueOf(k));
                            origin.put(Key.of(k), "set@" + where);
                            GetResult hit = gets.get(i).join();
                            if (hit == null) {
                                misses.add(where + ": get just after set missed " + Key.of(k));
                            } else if (!Arrays.equals(hit.value(), valueOf(k))) {
                                problems.add(where + ": get gave " + (hit == null ? "a miss" : new String(hit.value(),
                                        StandardCharsets.ISO_8859_1)) + " for " + Key.of(k));
                            }
                        }
                    }
                }
                default -> { // deleteMany of some earlier writes plus the new keys
                    List<byte[]> keys = new ArrayList<>(batch);
                    List<Key> earlier = new ArrayList<>(written.keySet());
                    Set<Key> victims = new HashSet<>();
                    for (int i = 0; i < 3 && !earlier.isEmpty(); i++) {
                        Key v = earlier.get(random.nextInt(earlier.size()));
                        victims.add(v);
                        keys.add(v.bytes());
                    }
                    CompletableFuture<Integer> f = client.deleteMany(keys);
                    Throwable t = failure(f);
                    if (!allValid) {
                        if (!(t instanceof InvalidKeyException)) {
                            problems.add(where + ": deleteMany with an invalid key gave " + t);
                        }
                    } else if (t != null || f.join() > victims.size()) {
                        problems.add(where + ": deleteMany deleted " + (t != null ? t : f.join()) + ", expected " + victims.size());
                    } else {
                        if (f.join() < victims.size()) {
                            misses.add(where + ": deleteMany found " + f.join() + " of " + victims.size() + " written keys");
                        }
                        victims.forEach(written::remove);
                    }
                }
            }
        }
        return new Outcome(problems, misses);
    }

    private static long evictions(Cluster cluster) throws java.io.IOException {
        long sum = 0;
        for (java.net.InetSocketAddress node : cluster.servers()) {
            try (io.memring.testing.RawClient raw = new io.memring.testing.RawClient(node.getPort())) {
                for (String line : raw.roundTrip("stats\r\n", "END\r\n").split("\r\n")) {
                    if (line.startsWith("STAT evictions ")) {
                        sum += Long.parseLong(line.substring("STAT evictions ".length()));
                    }
                }
            }
        }
        return sum;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void mixedValidAndInvalidKeys_fromManyThreads_everyReplyReachesItsOwnRequest(Cluster cluster) throws Exception {
        ClientConfig config = ClientConfig.builder().servers(cluster.servers()).requestTimeout(Duration.ofSeconds(10)).build();
        try (RingClient client = MemcacheClients.create(config)) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Outcome>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> fuzz(client, thread)));
                }
                List<String> problems = new ArrayList<>();
                List<String> misses = new ArrayList<>();
                for (Future<Outcome> r : results) {
                    Outcome o = r.get(120, TimeUnit.SECONDS);
                    problems.addAll(o.problems());
                    misses.addAll(o.misses());
                }
                assertThat(problems).isEmpty();
                long evictions = evictions(cluster);
                if (evictions == 0) {
                    assertThat(misses).as("misses of written keys on nodes that evicted nothing").isEmpty();
                } else {
                    System.out.printf("%s: %d misses of written keys; the nodes report %d evictions%n", cluster, misses.size(), evictions);
                }
            } finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
            client.nodeStatus().forEach(s -> {
                assertThat(s.up()).isTrue();
                assertThat(s.failures()).as("no timeouts or closed connections on %s", s.address()).isZero();
            });
        }
    }
}
