package io.hostpub.coordinator.api.operator;

import java.util.Objects;

/**
 * What an operator asks of the cluster through any agent (the WAR's and {@code hpctl}'s way in): the agent relays a
 * job or node operation to the local coordinator in charge, and places or lifts a shutdown order itself.
 *
 * @param name a job name ({@code APP/MEMBER}) for the job operations, a node name for drain and undrain, a coordinator
 *             position or {@code all} for shutdown and start, an application for abort-rollout
 * @param by   who asks (user and tool), kept with a shutdown order; empty when not known
 */
public record OperatorRequest(Operation operation, String name, String by) {

    /** The operator's actions, by their name in URLs ({@code /hpadmin/api/cluster/stop-job}). */
    public enum Operation {
        STOP_JOB("stop-job", "job"), START_JOB("start-job", "job"), DRAIN("drain", "node"),
        UNDRAIN("undrain", "node"), SHUTDOWN("shutdown", "scope"), START("start", "scope"),
        ABORT_ROLLOUT("abort-rollout", "app");

        private final String path;
        private final String parameter;

        Operation(String path, String parameter) {
            this.path = path;
            this.parameter = parameter;
        }

        /** Its name in URLs. */
        public String path() {
            return path;
        }

        /** Whether it names a job. */
        public boolean onJob() {
            return parameter.equals("job");
        }

        /** What it names, as the form and API parameter: {@code job}, {@code node}, {@code scope} or {@code app}. */
        public String parameter() {
            return parameter;
        }

        public static java.util.Optional<Operation> of(String path) {
            for (Operation operation : values()) {
                if (operation.path.equals(path)) {
                    return java.util.Optional.of(operation);
                }
            }
            return java.util.Optional.empty();
        }
    }

    public OperatorRequest {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException(operation.path() + " needs a " + operation.parameter());
        }
        by = by == null ? "" : by;
    }

    /** A request whose sender is not named. */
    public OperatorRequest(Operation operation, String name) {
        this(operation, name, "");
    }
}
