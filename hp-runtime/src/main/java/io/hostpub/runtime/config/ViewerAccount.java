package io.hostpub.runtime.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The read-only account of {@code /hpadmin} ({@code viewerUser} with {@code viewerPassword} or
 * {@code viewerPasswordHash}): sees every page and GET endpoint, may change nothing. Unlike the administrator's, its
 * password is never generated: a viewer exists only when the operator configures one.
 */
public record ViewerAccount(String user, Optional<String> password, Optional<String> passwordHash) {

    public ViewerAccount {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(passwordHash, "passwordHash");
        if (password.isEmpty() && passwordHash.isEmpty()) {
            throw new ConfigException("invalid configuration key 'viewerUser': '" + user + "' needs viewerPassword or"
                    + " viewerPasswordHash");
        }
    }

    @Override
    public String toString() {
        return "ViewerAccount[user=" + user + "]"; // never the password
    }
}
