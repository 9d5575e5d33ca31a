package io.hostpub.runtime.link;

import java.io.IOException;

/** The supervisor (or its registry) already knows an instance of this name; nothing was overwritten. */
public final class DuplicateNameException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long holderPid;

    public DuplicateNameException(String message, long holderPid) {
        super(message);
        this.holderPid = holderPid;
    }

    /** The pid of the process holding the name, -1 if unknown. */
    public long holderPid() {
        return holderPid;
    }
}
