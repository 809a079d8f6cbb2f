package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ClientConfig;
import io.memring.client.GetResult;
import io.memring.client.InvalidKeyException;
import io.memring.client.MemcacheClients;
import io.memring.client.routing.RingClient;
import io.memring.testing.StockMemcached;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Regression: a batch with a key too long for base64 used to write "mg " and then throw, leaving half
 * a request on the connection; the next request on it was read as part of it, and later replies went
 * to the wrong requests (another key's value, or null, or connection churn).
 */
class InvalidKeyIsolationIT {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void getManyWithAnOverlongBinaryKey_failsWhole_andConcurrentGetsGetTheirOwnValues() throws Exception {
        try (StockMemcached memcached = StockMemcached.start("-t", "1");
             RingClient client = MemcacheClients.create(ClientConfig.builder()
                     .servers(List.of(new InetSocketAddress("127.0.0.1", memcached.port)))
                     .requestTimeout(Duration.ofSeconds(5)).build())) {
            byte[] k1 = b("k1");
            byte[] k2 = b("k2");
            byte[] binary200 = new byte[200];
            Arrays.fill(binary200, (byte) 0xab);
            client.set(k1, b("SECRET-OF-K1"), 0, 0).get(5, TimeUnit.SECONDS);
            client.set(k2, b("value-of-k2"), 0, 0).get(5, TimeUnit.SECONDS);

            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<List<Throwable>> batches = pool.submit(() -> {
                    List<Throwable> errors = new ArrayList<>();
                    for (int i = 0; i < 700; i++) {
                        try {
                            client.getMany(List.of(k1, binary200)).join();
                            errors.add(null);
                        } catch (CompletionException e) {
                            errors.add(e.getCause());
                        }
                    }
                    return errors;
                });
                List<Future<List<String>>> readers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    readers.add(pool.submit(() -> {
                        List<String> seen = new ArrayList<>();
                        for (int i = 0; i < 700; i++) {
                            CompletableFuture<GetResult> f = client.get(k2);
                            try {
                                GetResult r = f.join();
                                seen.add(r == null ? "<miss>" : new String(r.value(), StandardCharsets.UTF_8));
                            } catch (CompletionException e) {
                                seen.add("<failed: " + e.getCause() + ">");
                            }
                        }
                        return seen;
                    }));
                }
                for (Throwable error : batches.get(60, TimeUnit.SECONDS)) {
                    assertThat(error).isInstanceOf(InvalidKeyException.class);
                    assertThat(((InvalidKeyException) error).reason()).isEqualTo(InvalidKeyException.Reason.TOO_LONG_FOR_BASE64);
                }
                for (Future<List<String>> reader : readers) {
                    assertThat(reader.get(60, TimeUnit.SECONDS)).hasSize(700).containsOnly("value-of-k2");
                }
            } finally {
                pool.shutdownNow();
                pool.awaitTermination(10, TimeUnit.SECONDS);
            }
            assertThat(client.nodeStatus().get(0).failures()).isZero();
            assertThat(new String(client.get(k1).get(5, TimeUnit.SECONDS).value(), StandardCharsets.UTF_8)).isEqualTo("SECRET-OF-K1");
        }
    }
}
