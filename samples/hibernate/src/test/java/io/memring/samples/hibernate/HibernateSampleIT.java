package io.memring.samples.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.integration.Cluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample's configuration on two Memring nodes this test starts: two SessionFactories (two
 * application instances, each with its own CacheManager) over one H2 database share entity,
 * collection and query caches through the nodes. Every check that caching happened is paired with
 * a look at the nodes themselves.
 */
@Timeout(180)
class HibernateSampleIT {
    private static final String AUTHOR_REGION = Author.class.getName();
    private static final String BOOKS_REGION = Author.class.getName() + ".books";

    private static Cluster cluster;
    private static SessionFactory first;
    private static SessionFactory second;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        cluster = Cluster.memring(2);
        // Each instance names its own copy of the sample's Memring file (servers: this test's nodes),
        // so each SessionFactory has its own CacheManager, as in two JVMs.
        first = HibernateSample.sessionFactory(settings(memringFile(dir, "first"), "create"));
        second = HibernateSample.sessionFactory(settings(memringFile(dir, "second"), "none"));
        first.inTransaction(s -> {
            Author author = new Author(1L, "Ursula K. Le Guin");
            author.write(11L, "A Wizard of Earthsea");
            author.write(12L, "The Left Hand of Darkness");
            s.persist(author);
            Author other = new Author(2L, "Stanislaw Lem");
            other.write(21L, "Solaris");
            s.persist(other);
        });
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
    }

    /** The sample's memring-hibernate.properties with this test's nodes as servers, as a file. */
    private static Path memringFile(Path dir, String instance) throws IOException {
        return memringFile(dir, instance, sampleMemringSettings());
    }

    private static Properties sampleMemringSettings() throws IOException {
        Properties memring = new Properties();
        try (InputStream in = HibernateSampleIT.class.getClassLoader().getResourceAsStream("memring-hibernate.properties")) {
            memring.load(in);
        }
        return memring;
    }

    private static Path memringFile(Path dir, String instance, Properties memring) throws IOException {
        memring.setProperty("memring.servers", cluster.serverSpec());
        // Patient requests: CI machines run many builds at once (the sample keeps the 2 s default).
        memring.setProperty("memring.requestTimeoutMillis", "15000");
        Path file = dir.resolve("memring-" + instance + ".properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            memring.store(out, "the sample's settings on the test's cluster");
        }
        return file;
    }

    private static Properties settings(Path memringFile, String schema) {
        Properties p = new Properties();
        p.setProperty("hibernate.javax.cache.uri", memringFile.toUri().toString());
        p.setProperty("hibernate.connection.url", "jdbc:h2:mem:hibernate-sample-it;DB_CLOSE_DELAY=-1");
        p.setProperty("hibernate.hbm2ddl.auto", schema);
        return p;
    }

    @Test
    void secondLoad_isServedByTheSecondLevelCache_withoutSql() throws IOException {
        Statistics stats = first.getStatistics();
        first.inSession(s -> s.find(Author.class, 1L).getBooks().size()); // warms entity + collection regions
        stats.clear();

        List<String> titles = first.fromSession(s -> s.find(Author.class, 1L).getBooks().stream().map(Book::getTitle).toList());

        assertThat(titles).containsExactly("A Wizard of Earthsea", "The Left Hand of Darkness");
        assertThat(stats.getPrepareStatementCount()).as("SQL statements on the second load").isZero();
        assertThat(stats.getSecondLevelCacheHitCount()).as("author, its books collection and both books").isGreaterThanOrEqualTo(4);
        assertThat(stats.getDomainDataRegionStatistics(AUTHOR_REGION).getHitCount()).isPositive();
        assertThat(RingContents.keysOfCache(cluster, AUTHOR_REGION)).as("author entries on the test's nodes").isPositive();
        assertThat(RingContents.keysOfCache(cluster, BOOKS_REGION)).as("collection entries on the test's nodes").isPositive();
    }

    @Test
    void anotherSessionFactory_onTheSameNodes_loadsTheEntityWithoutSql() throws IOException {
        first.inSession(s -> s.find(Author.class, 1L).getBooks().size());
        Statistics stats = second.getStatistics();
        stats.clear();

        String name = second.fromSession(s -> {
            Author author = s.find(Author.class, 1L);
            return author.getName() + " " + author.getBooks().size();
        });

        assertThat(name).isEqualTo("Ursula K. Le Guin 2");
        assertThat(stats.getPrepareStatementCount()).as("SQL statements in the other SessionFactory").isZero();
        assertThat(stats.getSecondLevelCacheHitCount()).isGreaterThanOrEqualTo(2);
        assertThat(RingContents.keysOfCache(cluster, AUTHOR_REGION)).as("what it read is on the test's nodes").isPositive();
    }

    @Test
    void anUpdateThroughOneSessionFactory_invalidatesTheOthersQueryCache() throws IOException {
        Statistics stats = second.getStatistics();
        assertThat(HibernateSample.titlesOf(second, 2L)).containsExactly("Solaris");
        stats.clear();
        assertThat(HibernateSample.titlesOf(second, 2L)).containsExactly("Solaris");
        assertThat(stats.getQueryCacheHitCount()).as("the repeated query").isEqualTo(1);
        assertThat(stats.getPrepareStatementCount()).isZero();
        assertThat(RingContents.keysOfCache(cluster, "default-query-results-region")).isPositive();
        assertThat(RingContents.keysOfCache(cluster, "default-update-timestamps-region")).isPositive();

        first.inTransaction(s -> s.find(Book.class, 21L).setTitle("Solaris (1961)"));
        stats.clear();

        assertThat(HibernateSample.titlesOf(second, 2L)).containsExactly("Solaris (1961)");
        assertThat(stats.getQueryCacheHitCount()).as("a hit after the other instance's update").isZero();
        assertThat(stats.getPrepareStatementCount()).as("the query ran again").isEqualTo(1);
    }

    @Test
    void withoutTheSamplesAllowList_aCachedEntityCannotBeRead(@TempDir Path dir) throws IOException {
        first.inSession(s -> s.find(Author.class, 1L));
        Properties bare = sampleMemringSettings();
        bare.remove("memring.serialization.allow");
        try (SessionFactory withoutAllowList = HibernateSample.sessionFactory(settings(memringFile(dir, "bare", bare), "none"))) {
            assertThatThrownBy(() -> withoutAllowList.inSession(s -> s.find(Author.class, 1L)))
                    .isInstanceOf(CacheException.class)
                    .hasMessageContaining("memring.serialization.allow");
        }
    }
}
