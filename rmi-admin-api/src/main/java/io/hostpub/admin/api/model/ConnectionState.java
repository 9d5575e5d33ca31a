package io.hostpub.admin.api.model;

/** State of one physical backend connection of a pool. */
public enum ConnectionState {
    /** In the pool, waiting to be borrowed. */
    IDLE,
    /** Borrowed by the application. */
    IN_USE,
    /**
     * Found broken, open still: its validation failed or its driver reported a connection error (the database went
     * away, say). It keeps its license unit until it is deleted (one by one, or all failed at once) or the pool
     * closes it (HikariCP does when it next validates it).
     */
    FAILED,
    /** Deleted by an operator: closed, its license unit given back; the pool drops it. */
    DELETED,
    /** Closed by the pool (evicted, retired by max lifetime, pool shut down). */
    CLOSED
}
