package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.checkpoints.Checkpoints;
import io.hostpub.coordinator.api.job.JobSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;

/**
 * Starts a job's process: its command, its environment and the agent's ({@code HOSTPUB_JOB}, {@code HOSTPUB_NODE},
 * and for {@link Checkpoints} the instance token and the agent's endpoint), its output appended to
 * {@code <workDir>/logs/<app>_<member>.log}.
 */
final class JobProcess {

    private JobProcess() {
    }

    /** @param agent where the agent listens (its actual port, also when the settings asked for any free one) */
    static Process start(AgentSettings settings, JobSpec spec, CheckpointDesk.Instance instance,
            java.net.InetSocketAddress agent) throws IOException {
        Path log = settings.workDir().resolve("logs").resolve(spec.name().replace('/', '_') + ".log");
        ProcessBuilder builder = new ProcessBuilder(spec.command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(spec.environment());
        builder.environment().put(Checkpoints.JOB, spec.name());
        builder.environment().put("HOSTPUB_NODE", settings.node());
        builder.environment().put(Checkpoints.TOKEN, instance.token());
        InetAddress address = agent.getAddress();
        String host = (address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : address).getHostAddress();
        builder.environment().put(Checkpoints.AGENT, (host.contains(":") ? "[" + host + "]" : host) + ":"
                + agent.getPort());
        return builder.start();
    }
}
