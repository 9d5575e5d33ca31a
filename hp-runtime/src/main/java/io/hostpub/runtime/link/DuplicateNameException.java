package io.hostpub.runtime.link;

import java.io.IOException;

/** The supervisor (or its registry) already knows an instance of this name; nothing was overwritten. */
public final class DuplicateNameException extends IOException {
    private static final long serialVersionUID = 1L;

    public DuplicateNameException(String message) {
        super(message);
    }
}
