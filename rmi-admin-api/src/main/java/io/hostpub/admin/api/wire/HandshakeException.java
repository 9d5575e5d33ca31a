package io.hostpub.admin.api.wire;

import java.io.IOException;

/** The handshake failed; {@link #failure()} says how, for a log line an operator can act on. */
public final class HandshakeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** How a handshake can fail. */
    public enum Failure {
        /** The peer does not speak the private protocol at all (wrong magic, garbage, wrong first frame). */
        FOREIGN_PEER,
        /** The peer speaks the protocol but holds a different installation secret. */
        SECRET_MISMATCH,
        /** The peer speaks another protocol version. */
        VERSION_MISMATCH,
        /** The peer closed, or did not answer in time. */
        NO_ANSWER
    }

    private final Failure failure;

    public HandshakeException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
