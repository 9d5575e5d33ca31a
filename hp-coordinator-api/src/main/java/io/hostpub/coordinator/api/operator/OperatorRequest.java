package io.hostpub.coordinator.api.operator;

import java.util.Objects;

/**
 * What an operator asks of the cluster through any agent (the WAR's and {@code hpctl}'s way in): the agent relays it
 * to the local coordinator in charge of the job or node.
 *
 * @param name a job name ({@code APP/MEMBER}) for the job operations, a node name for drain and undrain
 */
public record OperatorRequest(Operation operation, String name) {

    /** The operator's actions, by their name in URLs ({@code /hpadmin/api/cluster/stop-job}). */
    public enum Operation {
        STOP_JOB("stop-job", true), START_JOB("start-job", true), DRAIN("drain", false), UNDRAIN("undrain", false);

        private final String path;
        private final boolean onJob;

        Operation(String path, boolean onJob) {
            this.path = path;
            this.onJob = onJob;
        }

        /** Its name in URLs. */
        public String path() {
            return path;
        }

        /** Whether it names a job (else a node). */
        public boolean onJob() {
            return onJob;
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
            throw new IllegalArgumentException(operation.path() + " needs a " + (operation.onJob() ? "job" : "node"));
        }
    }
}
