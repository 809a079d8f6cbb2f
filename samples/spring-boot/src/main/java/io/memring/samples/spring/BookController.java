package io.memring.samples.spring;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /books/{isbn}} through the cached service, to try the sample with curl. */
@RestController
public class BookController {
    private final BookService service;

    public BookController(BookService service) {
        this.service = service;
    }

    @GetMapping("/books/{isbn}")
    public ResponseEntity<Book> book(@PathVariable String isbn) {
        Book book = service.find(isbn);
        return book == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(book);
    }
}
