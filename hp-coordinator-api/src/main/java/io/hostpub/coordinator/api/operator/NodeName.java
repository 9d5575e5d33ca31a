package io.hostpub.coordinator.api.operator;

import java.util.Objects;

/** A node's name in an operator request. */
public record NodeName(String node) {

    public NodeName {
        Objects.requireNonNull(node, "node");
        if (node.isBlank()) {
            throw new IllegalArgumentException("a node name is not blank");
        }
    }
}
