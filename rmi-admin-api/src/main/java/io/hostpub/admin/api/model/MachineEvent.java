package io.hostpub.admin.api.model;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a machine's event journal: an event of one of its instances, kept across restarts of the instances
 * (the in-memory events of an instance end with its JVM). A departure is recorded under the departed instance's name
 * by whoever saw it go (the supervisor, for a member; the members, for a supervisor).
 *
 * @param pid the instance's process (0: not known to whoever recorded it)
 */
public record MachineEvent(Instant at, String instance, long pid, EventKind kind, String message)
        implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    public MachineEvent {
        Objects.requireNonNull(at, "at");
        Checks.text(instance, "instance", 1_000);
        Checks.nonNegative(pid, "pid");
        Objects.requireNonNull(kind, "kind");
        Checks.text(message, "message", 2_000);
    }
}
