package io.hostpub.runtime.audit;

import java.io.IOException;

/**
 * The journal cannot record an action (a full disk, a read-only or missing directory): the action must not run, for
 * an action performed unrecorded is what an audit journal exists to rule out.
 */
public final class AuditUnavailable extends Exception {

    private static final long serialVersionUID = 1L;

    AuditUnavailable(String message, IOException cause) {
        super(message, cause);
    }
}
