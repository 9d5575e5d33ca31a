package io.hostpub.coordinator.api.operator;

import java.util.Objects;

/**
 * An agent's answer to a relayed {@link OperatorRequest}: which local coordinator took it, and that coordinator's
 * intents after it.
 */
public record OperatorReceipt(String position, OperatorIntent intent) {

    public OperatorReceipt {
        Objects.requireNonNull(position, "position");
        intent = intent == null ? OperatorIntent.NONE : intent;
    }
}
