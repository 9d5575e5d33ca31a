package io.hostpub.coordinator.api.job;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to run for one job: its name ({@code app/clone-3}: application, slash, member), the command line and its
 * environment. Jobs of one application are interchangeable members placed by the coordinator.
 *
 * @param httpPort the port the job serves HTTP on, 0 if none (used to wait for "serving again" and shown to operators)
 * @param health   how its agent tells a hung job from a running one (null: {@link HealthCheck#DEFAULT})
 * @param version  the version of the application's WAR the command deploys (a rollout's label), null if not versioned
 */
public record JobSpec(String name, List<String> command, Map<String, String> environment, int httpPort,
        HealthCheck health, String version) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}/[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    public JobSpec {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("job name '" + name + "' is not application/member (letters, digits,"
                    + " '.', '_' or '-', each part 1-63 characters)");
        }
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("job " + name + " has an empty command");
        }
        environment = Map.copyOf(environment);
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("job " + name + ": HTTP port " + httpPort + " out of range");
        }
        health = health == null ? HealthCheck.DEFAULT : health;
        if (health.path() != null && httpPort == 0) {
            throw new IllegalArgumentException("job " + name + " has a health path but serves no HTTP port");
        }
    }

    /** A job whose command deploys no versioned WAR. */
    public JobSpec(String name, List<String> command, Map<String, String> environment, int httpPort,
            HealthCheck health) {
        this(name, command, environment, httpPort, health, null);
    }

    /** A job looked at with the default health check. */
    public JobSpec(String name, List<String> command, Map<String, String> environment, int httpPort) {
        this(name, command, environment, httpPort, null, null);
    }

    public String application() {
        return name.substring(0, name.indexOf('/'));
    }
}
