package io.hostpub.admin.api.model;

/**
 * The runtime's lifecycle, which is also its role on the machine. Legal moves:
 * NEW -> ELECTING -> (SUPERVISOR | SUBORDINATE); SUBORDINATE -> ELECTING (supervisor lost);
 * any -> CLOSED. A supervisor stays supervisor until it closes.
 */
public enum Role {
    NEW, ELECTING, SUPERVISOR, SUBORDINATE, CLOSED;

    public boolean canMoveTo(Role next) {
        return switch (this) {
            case NEW -> next == ELECTING || next == CLOSED;
            case ELECTING -> next == SUPERVISOR || next == SUBORDINATE || next == ELECTING || next == CLOSED;
            case SUBORDINATE -> next == ELECTING || next == CLOSED;
            case SUPERVISOR -> next == CLOSED;
            case CLOSED -> false;
        };
    }
}
