package io.memring.samples.spring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Repository;

/** Stands for a slow store (a database, a remote service); counts how often it is asked. */
@Repository
public class BookRepository {
    private final Map<String, Book> books = new ConcurrentHashMap<>(Map.of(
            "978-0441013593", new Book("978-0441013593", "Dune"),
            "978-0547928227", new Book("978-0547928227", "The Hobbit"),
            "978-0553293357", new Book("978-0553293357", "Foundation")));
    private final AtomicInteger reads = new AtomicInteger();

    /** Returns the book, or null when there is none. */
    public Book load(String isbn) {
        reads.incrementAndGet();
        return books.get(isbn);
    }

    public void store(Book book) {
        books.put(book.isbn(), book);
    }

    public void delete(String isbn) {
        books.remove(isbn);
    }

    /** Returns how many times {@link #load} ran. */
    public int reads() {
        return reads.get();
    }
}
