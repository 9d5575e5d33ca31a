package io.hostpub.admin.web;

import java.util.Objects;

/**
 * An authenticated user of {@code /hpadmin} and what it may do.
 *
 * @param binding what this principal's CSRF tokens are bound to: the login's nonce, or the user for HTTP Basic
 */
record Principal(String user, Access access, Via via, String binding) {

    enum Via { LOGIN, BASIC }

    static final String ATTRIBUTE = Principal.class.getName();

    boolean readOnly() {
        return access == Access.VIEWER;
    }

    Principal {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(via, "via");
        Objects.requireNonNull(binding, "binding");
    }
}
