package io.hostpub.coordinator.store;

/** The store could not do what was asked (unreachable, corrupt, interrupted), or refused it (stale epoch). */
public class StoreException extends Exception {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
