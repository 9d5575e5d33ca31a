package io.hostpub.coordinator.api.rollout;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An agent's request to a peer agent for part of a kept WAR version it lacks: the application, the version's label,
 * the SHA-256 the rollout record gives it (the peer serves only a file with exactly that content) and where to go on.
 */
public record WarPieceQuery(String application, String label, String sha256, long offset) {

    private static final Pattern APPLICATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public WarPieceQuery {
        Objects.requireNonNull(application, "application");
        if (!APPLICATION.matcher(application).matches()) {
            throw new IllegalArgumentException("application name '" + application + "' must be letters, digits, '.',"
                    + " '_', '-'");
        }
        Rollout.Version.checkLabel(label);
        Objects.requireNonNull(sha256, "sha256");
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, got " + offset);
        }
    }
}
