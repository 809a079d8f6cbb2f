package io.memring.server.storage;

/** How a store treats an existing item: memcached's set/add/replace/append/prepend/cas. */
public enum StoreMode {
    SET, ADD, REPLACE, APPEND, PREPEND, CAS
}
