package io.memring.samples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * Spring Boot's cache abstraction on Memring: {@code spring.cache.type=jcache} and
 * {@code spring.cache.jcache.config} naming a Memring properties file (see application.properties).
 * Start the nodes it names first ({@code -Dmemring.servers=host:port,...} overrides them), then
 * {@code curl localhost:8080/books/978-0441013593} twice: the second is a cache hit, and
 * {@code /actuator/metrics/cache.gets?tag=result:hit} counts it.
 */
@SpringBootApplication
@EnableCaching
public class SpringBootSample {
    public static void main(String[] args) {
        SpringApplication.run(SpringBootSample.class, args);
    }
}
