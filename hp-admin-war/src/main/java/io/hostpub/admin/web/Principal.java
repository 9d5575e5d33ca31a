package io.hostpub.admin.web;

import java.util.Objects;

/**
 * An authenticated administrator.
 *
 * @param binding what this principal's CSRF tokens are bound to: the login's nonce, or the user for HTTP Basic
 */
record Principal(String user, Via via, String binding) {

    enum Via { LOGIN, BASIC }

    static final String ATTRIBUTE = Principal.class.getName();

    Principal {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(via, "via");
        Objects.requireNonNull(binding, "binding");
    }
}
