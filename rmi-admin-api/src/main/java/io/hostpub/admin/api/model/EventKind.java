package io.hostpub.admin.api.model;

/** What a recorded event is about. */
public enum EventKind {
    ROLE, LINK_UP, LINK_DOWN, FOREIGN_PEER, REJECTED, LICENSE, POOL, ADMIN, PROBE
}
