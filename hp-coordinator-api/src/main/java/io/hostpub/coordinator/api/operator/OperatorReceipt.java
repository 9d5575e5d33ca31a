package io.hostpub.coordinator.api.operator;

import java.util.List;
import java.util.Objects;

/**
 * An agent's answer to an {@link OperatorRequest}: which local coordinator took it, and that coordinator's intents
 * after it; for a shutdown or start, the scope and what the agent did (the order placed, the processes launched).
 */
public record OperatorReceipt(String position, OperatorIntent intent, List<String> done) {

    public OperatorReceipt {
        Objects.requireNonNull(position, "position");
        intent = intent == null ? OperatorIntent.NONE : intent;
        done = done == null ? List.of() : List.copyOf(done);
    }

    /** The receipt of a relayed job or node operation. */
    public OperatorReceipt(String position, OperatorIntent intent) {
        this(position, intent, List.of());
    }
}
