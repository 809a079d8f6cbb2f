package io.memring.server.storage;

/** The outcome of a store, delete or arithmetic operation. */
public enum StoreStatus {
    STORED, NOT_STORED, EXISTS, NOT_FOUND, TOO_LARGE, NO_MEMORY, NON_NUMERIC, DELETED
}
