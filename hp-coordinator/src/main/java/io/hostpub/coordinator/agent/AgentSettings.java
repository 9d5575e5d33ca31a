package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.job.RestartPolicy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How one host agent runs.
 *
 * @param node      the node's name (also the store scope {@code agent/<node>})
 * @param bind      where the agent's endpoint listens (the node's address)
 * @param workDir   the node's directory: job logs and working directories
 * @param stopGrace how long a stopped job may take after SIGTERM before it is killed
 */
public record AgentSettings(String node, InetSocketAddress bind, Path workDir, RestartPolicy restartPolicy,
        Duration stopGrace) {

    public AgentSettings {
        Objects.requireNonNull(node, "node");
        if (!node.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
            throw new IllegalArgumentException("node name '" + node + "' must be 1-63 letters, digits, '.', '_', '-'");
        }
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(restartPolicy, "restartPolicy");
        Objects.requireNonNull(stopGrace, "stopGrace");
    }
}
