/**
 * Hibernate ORM's second-level cache on Memring: entities, a collection and query results cached in
 * JCache regions through {@code hibernate-jcache}, shared by every SessionFactory pointed at the same
 * nodes. The configuration is in {@code sample-hibernate.properties} and {@code memring-hibernate.properties}.
 */
package io.memring.samples.hibernate;
