package io.hostpub.admin.api.locate;

import java.io.IOException;

/** The locator could not reach or trust a machine. */
public final class LocatorException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why, in the terms of the CLI's exit codes. */
    public enum Kind {
        /** Nothing listens, connection refused or timed out: the machine has no supervisor. Exit code 3. */
        UNREACHABLE,
        /** The peer holds another secret, speaks another version or is not hostpub at all. Exit code 4. */
        AUTHENTICATION
    }

    private final Kind kind;

    public LocatorException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The machine was asked a second time after a refused or dropped first question, and failed again. */
    public boolean askedTwice() {
        return getCause() instanceof LocatorException && getSuppressed().length == 1
                && getSuppressed()[0] instanceof LocatorException;
    }
}
