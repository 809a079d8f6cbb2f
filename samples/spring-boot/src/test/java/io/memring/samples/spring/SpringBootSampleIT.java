package io.memring.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.integration.Cluster;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the sample application (two application contexts, each with its own JCache
 * CacheManager and connections, as two JVMs would have) on two Memring nodes this test starts. The
 * first instance runs with the sample's own configuration, {@code classpath:memring-spring.properties}
 * (a {@code jar:} URL here, as failsafe runs the module's jar), only its nodes overridden by
 * {@code -Dmemring.servers}: the allow-list Book and cached nulls need comes from that file. The
 * second names a {@code file:} copy, so that it gets a CacheManager of its own (another URI).
 * Web servers listen on 127.0.0.1, on ports the system picks. Each test uses its own keys, so the
 * tests do not depend on their order.
 */
@Timeout(180)
class SpringBootSampleIT {
    private static final String DUNE = "978-0441013593";
    private static final String HOBBIT = "978-0547928227";
    private static final String FOUNDATION = "978-0553293357";

    private static Cluster cluster;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    private static final String SERVERS = "memring.servers";
    private static final String REQUEST_TIMEOUT = "memring.requestTimeoutMillis";

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        cluster = Cluster.memring(2);
        // The nodes this test started, for both instances (system properties override the file).
        System.setProperty(SERVERS, cluster.serverSpec());
        // Patient requests: CI machines run many builds at once (the sample keeps the 2 s default).
        System.setProperty(REQUEST_TIMEOUT, "15000");
        first = instance(); // the sample's classpath: configuration, as packaged
        second = instance("--spring.cache.jcache.config=" + memringFile(dir, "second").toUri());
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        if (cluster != null) {
            cluster.stop();
        }
        System.clearProperty(SERVERS);
        System.clearProperty(REQUEST_TIMEOUT);
    }

    private static ConfigurableApplicationContext instance(String... more) {
        String[] args = {"--spring.main.banner-mode=off", "--server.address=127.0.0.1", "--server.port=0"};
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return new SpringApplicationBuilder(SpringBootSample.class).run(all);
    }

    /** A file: copy of the sample's memring-spring.properties (the nodes come from -Dmemring.servers). */
    private static Path memringFile(Path dir, String instance) throws IOException {
        Properties memring = new Properties();
        try (InputStream in = SpringBootSampleIT.class.getClassLoader().getResourceAsStream("memring-spring.properties")) {
            memring.load(in);
        }
        Path file = dir.resolve("memring-" + instance + ".properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            memring.store(out, "the sample's settings on the test's cluster");
        }
        return file;
    }

    private static BookService service(ConfigurableApplicationContext context) {
        return context.getBean(BookService.class);
    }

    private static BookRepository repository(ConfigurableApplicationContext context) {
        return context.getBean(BookRepository.class);
    }

    /** The cached key as the provider writes it for a String: the cache's prefix, then the string. */
    private static boolean onTheNodes(String isbn) throws IOException {
        return RingContents.keys(cluster).stream()
                .anyMatch(k -> k.startsWith("jc:" + BookService.CACHE + ":") && k.endsWith(isbn));
    }

    @Test
    void instances_haveTheirOwnCacheManagers() {
        CacheManager a = first.getBean(JCacheCacheManager.class).getCacheManager();
        CacheManager b = second.getBean(JCacheCacheManager.class).getCacheManager();
        assertThat(a).isNotSameAs(b);
        assertThat(a.getURI()).isNotEqualTo(b.getURI());
    }

    @Test
    void theFirstInstance_runsWithTheSamplesClasspathConfiguration_andTheTestsNodes() {
        CacheManager a = first.getBean(JCacheCacheManager.class).getCacheManager();
        assertThat(a.getURI().toString()).endsWith("/memring-spring.properties"); // jar:file:...!/ here
        assertThat(a.getProperties())
                .containsEntry(SERVERS, cluster.serverSpec())
                .containsEntry("memring.serialization.allow",
                        "io.memring.samples.spring.Book,org.springframework.cache.support.NullValue");
    }

    @Test
    void repeatedCalls_runTheServiceBodyOnce_andTheOtherInstanceReadsTheEntryFromTheNodes() throws IOException {
        int readsBefore = repository(first).reads();
        for (int i = 0; i < 5; i++) {
            assertThat(service(first).find(DUNE).title()).isEqualTo("Dune");
        }
        assertThat(repository(first).reads() - readsBefore).as("service body runs in the first instance").isEqualTo(1);
        assertThat(onTheNodes(DUNE)).as("the entry is on the test's nodes").isTrue();

        int otherReads = repository(second).reads();
        assertThat(service(second).find(DUNE).title()).isEqualTo("Dune");
        assertThat(repository(second).reads()).as("the second instance's body never ran").isEqualTo(otherReads);
    }

    @Test
    void cachePutAndEvict_onOneInstance_areSeenByTheOther() throws IOException {
        service(first).find(HOBBIT);
        service(second).save(new Book(HOBBIT, "The Hobbit, or There and Back Again"));
        int reads = repository(first).reads();
        assertThat(service(first).find(HOBBIT).title()).isEqualTo("The Hobbit, or There and Back Again");
        assertThat(repository(first).reads()).as("the put entry came from the cache").isEqualTo(reads);
        assertThat(onTheNodes(HOBBIT)).as("the put entry is on the test's nodes").isTrue();

        service(first).remove(HOBBIT);
        assertThat(onTheNodes(HOBBIT)).as("evicted from the nodes").isFalse();
        int otherReads = repository(second).reads();
        assertThat(service(second).find(HOBBIT).title()).isEqualTo("The Hobbit, or There and Back Again");
        assertThat(repository(second).reads()).as("a miss after the eviction runs the body").isEqualTo(otherReads + 1);
    }

    @Test
    void anUnknownKey_cachesSpringsNullValue() throws IOException {
        int reads = repository(first).reads();
        assertThat(service(first).find("000-unknown")).isNull();
        assertThat(service(first).find("000-unknown")).isNull();
        assertThat(repository(first).reads() - reads).isEqualTo(1);
        assertThat(onTheNodes("000-unknown")).isTrue();
    }

    @Test
    void restCallsHitTheCache_andTheHitsShowInTheMeterRegistryAndAtTheMetricsEndpoint() throws Exception {
        String port = first.getEnvironment().getProperty("local.server.port");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int reads = repository(first).reads();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> book = get(http, port, "/books/" + FOUNDATION);
            assertThat(book.statusCode()).isEqualTo(200);
            assertThat(book.body()).contains("\"title\":\"Foundation\"");
        }
        assertThat(repository(first).reads() - reads).isEqualTo(1);
        double hits = first.getBean(MeterRegistry.class).get("cache.gets").tags("cache", BookService.CACHE, "result", "hit")
                .functionCounter().count();
        assertThat(hits).isGreaterThanOrEqualTo(1);
        assertThat(onTheNodes(FOUNDATION)).isTrue();

        HttpResponse<String> response = get(http, port, "/actuator/metrics/cache.gets?tag=cache:books&tag=result:hit");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"name\":\"cache.gets\"");
        double reported = Double.parseDouble(response.body().replaceAll("(?s).*\"statistic\":\"COUNT\",\"value\":([0-9.E]+).*", "$1"));
        assertThat(reported).as(response.body()).isGreaterThanOrEqualTo(hits);
    }

    private static HttpResponse<String> get(HttpClient http, String port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
