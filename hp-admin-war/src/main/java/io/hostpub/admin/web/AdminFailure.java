package io.hostpub.admin.web;

import io.hostpub.admin.api.locate.LocatorException;
import io.hostpub.admin.api.locate.MachineAddress;
import io.hostpub.admin.api.wire.HandshakeException;
import jakarta.servlet.http.HttpServletResponse;

/** Why an admin request could not be served, in the operator's words, with the HTTP status the API answers. */
final class AdminFailure extends Exception {

    private static final long serialVersionUID = 1L;

    enum Kind {
        NO_SUPERVISOR(HttpServletResponse.SC_SERVICE_UNAVAILABLE),
        FOREIGN_PROGRAM(HttpServletResponse.SC_BAD_GATEWAY),
        INSTANCE_UNREACHABLE(HttpServletResponse.SC_SERVICE_UNAVAILABLE),
        NOT_FOUND(HttpServletResponse.SC_NOT_FOUND),
        BAD_REQUEST(HttpServletResponse.SC_BAD_REQUEST),
        REFUSED(HttpServletResponse.SC_CONFLICT);

        final int status;

        Kind(int status) {
            this.status = status;
        }
    }

    private final Kind kind;

    AdminFailure(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }

    int status() {
        return kind.status;
    }

    /** Turns a locator failure into the status the page shows. */
    static AdminFailure of(MachineAddress machine, LocatorException e) {
        HandshakeException handshake = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HandshakeException h) {
                handshake = h;
                break;
            }
        }
        if (e.kind() == LocatorException.Kind.UNREACHABLE || handshake == null) {
            return e.kind() == LocatorException.Kind.UNREACHABLE
                    ? new AdminFailure(Kind.NO_SUPERVISOR, "machine " + machine + " has no supervisor (nothing "
                            + "answers on port " + machine.port() + ")" + (e.askedTwice() ? "; asked twice, "
                            + "its supervisor may be failing over right now: ask again in a moment" : ""))
                    : new AdminFailure(Kind.FOREIGN_PROGRAM, "machine " + machine + " answered, but not as a hostpub "
                            + "supervisor: " + e.getMessage());
        }
        return switch (handshake.failure()) {
            case SECRET_MISMATCH -> new AdminFailure(Kind.FOREIGN_PROGRAM, "the supervisor on " + machine
                    + " belongs to another installation (its secret differs from this one's)");
            case VERSION_MISMATCH -> new AdminFailure(Kind.FOREIGN_PROGRAM, "the supervisor on " + machine
                    + " speaks another protocol version: " + handshake.getMessage());
            case NO_ANSWER -> new AdminFailure(Kind.FOREIGN_PROGRAM, "the program on port " + machine.port() + " of "
                    + machine.host() + " does not answer the handshake (a hung supervisor, or a foreign program)");
            case FOREIGN_PEER -> new AdminFailure(Kind.FOREIGN_PROGRAM, "foreign program on port " + machine.port()
                    + " of " + machine.host() + " (it is not a hostpub supervisor)");
        };
    }
}
