package io.hostpub.admin.api.model;

/** State of one physical backend connection of a pool. */
public enum ConnectionState {
    /** In the pool, waiting to be borrowed. */
    IDLE,
    /** Borrowed by the application. */
    IN_USE,
    /** Deleted by an operator: closed, its license unit given back; the pool drops it. */
    DELETED,
    /** Closed by the pool (evicted, retired by max lifetime, pool shut down). */
    CLOSED
}
