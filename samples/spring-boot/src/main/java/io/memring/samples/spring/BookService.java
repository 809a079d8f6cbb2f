package io.memring.samples.spring;

import org.springframework.cache.annotation.CacheConfig;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** The cached service: reads go through the "books" cache, writes update or evict its entry. */
@Service
@CacheConfig(cacheNames = BookService.CACHE)
public class BookService {
    /** The cache's name, on every JVM that shares it. */
    public static final String CACHE = "books";

    private final BookRepository repository;

    public BookService(BookRepository repository) {
        this.repository = repository;
    }

    /** Runs only on a miss; an unknown ISBN's null is cached too (Spring stores its NullValue). */
    @Cacheable
    public Book find(String isbn) {
        return repository.load(isbn);
    }

    /** Stores the book and replaces the cached entry, on every instance. */
    @CachePut(key = "#book.isbn")
    public Book save(Book book) {
        repository.store(book);
        return book;
    }

    /** Deletes the book and its cached entry. */
    @CacheEvict
    public void remove(String isbn) {
        repository.delete(isbn);
    }
}
