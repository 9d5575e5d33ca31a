package io.hostpub.admin.api;

import java.io.Serial;

/** An admin operation was refused: unknown pool or connection, bad log level, not the supervisor, ... */
public class AdminException extends Exception {
    @Serial private static final long serialVersionUID = 1L;

    public AdminException(String message) {
        super(message);
    }
}
