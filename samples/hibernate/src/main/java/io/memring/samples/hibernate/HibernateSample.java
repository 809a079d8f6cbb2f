package io.memring.samples.hibernate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.hibernate.stat.Statistics;

/**
 * Hibernate with its second-level cache on a Memring cluster. Start nodes first (for example
 * {@code java -jar memring-server.jar -p 11211} and {@code -p 11212}, the servers named in
 * {@code memring-hibernate.properties}; {@code -Dmemring.servers=host:port,...} overrides them), then run
 * this class: the second load of an author and the second run of a cached query issue no SQL.
 */
public final class HibernateSample {
    /** The sample's Hibernate settings, a classpath resource. */
    public static final String SETTINGS = "sample-hibernate.properties";

    private HibernateSample() {
    }

    /** Builds a SessionFactory from {@link #SETTINGS}, with {@code overrides} winning. */
    public static SessionFactory sessionFactory(Properties overrides) {
        Properties settings = new Properties();
        try (InputStream in = HibernateSample.class.getClassLoader().getResourceAsStream(SETTINGS)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + SETTINGS + " on the classpath");
            }
            settings.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SETTINGS, e);
        }
        settings.putAll(overrides);
        return new Configuration()
                .addProperties(settings)
                .addAnnotatedClass(Author.class)
                .addAnnotatedClass(Book.class)
                .buildSessionFactory();
    }

    /** The titles of an author's books, through the query cache. */
    public static List<String> titlesOf(SessionFactory factory, long authorId) {
        return factory.fromSession(s -> s.createSelectionQuery(
                        "select b.title from Book b where b.author.id = :author order by b.title", String.class)
                .setParameter("author", authorId)
                .setCacheable(true)
                .getResultList());
    }

    public static void main(String[] args) {
        try (SessionFactory factory = sessionFactory(new Properties())) {
            factory.inTransaction(s -> {
                Author author = new Author(1L, "Ursula K. Le Guin");
                author.write(1L, "A Wizard of Earthsea");
                author.write(2L, "The Left Hand of Darkness");
                s.merge(author);
            });
            Statistics stats = factory.getStatistics();
            for (int round = 1; round <= 2; round++) {
                stats.clear();
                int books = factory.fromSession(s -> s.find(Author.class, 1L).getBooks().size());
                List<String> titles = titlesOf(factory, 1L);
                System.out.printf("round %d: %d books %s; SQL statements %d, second-level hits %d, query cache hits %d%n",
                        round, books, titles, stats.getPrepareStatementCount(), stats.getSecondLevelCacheHitCount(),
                        stats.getQueryCacheHitCount());
            }
        }
    }
}
