package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.checkpoints.Checkpoints;
import io.hostpub.coordinator.api.job.JobSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts and stops a job's process. Started: its command, its environment and the agent's ({@code HOSTPUB_JOB}, {@code HOSTPUB_NODE},
 * and for {@link Checkpoints} the instance token and the agent's endpoint), its output appended to
 * {@code <workDir>/logs/<app>_<member>.log}.
 */
final class JobProcess {

    private static final System.Logger LOG = System.getLogger(JobRunner.class.getName());

    private JobProcess() {
    }

    /**
     * @param command the command line to run on this node ({@link JobCommands})
     * @param agent   where the agent listens (its actual port, also when the settings asked for any free one)
     */
    static Process start(AgentSettings settings, JobSpec spec, List<String> command, CheckpointDesk.Instance instance,
            java.net.InetSocketAddress agent) throws IOException {
        Path log = settings.workDir().resolve("logs").resolve(spec.name().replace('/', '_') + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
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

    /** Stops a job's process: SIGTERM, and SIGKILL when it still runs after the agent's stop grace. */
    static void stop(AgentSettings settings, String job, ProcessHandle process,
            java.util.concurrent.ScheduledExecutorService events) {
        LOG.log(System.Logger.Level.INFO, "agent {0}: stopping job {1} (pid {2})", settings.node(), job,
                process.pid());
        process.destroy();
        events.schedule(() -> {
            if (process.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "agent {0}: job {1} (pid {2}) ignored SIGTERM for {3}: killed",
                        settings.node(), job, process.pid(), settings.stopGrace());
                process.destroyForcibly();
            }
        }, settings.stopGrace().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The recorded process of a job, if that very process still runs (the same pid started at the same instant). */
    static java.util.Optional<ProcessHandle> stillRunning(io.hostpub.coordinator.job.JobRecord record) {
        return record.pid() == 0 ? java.util.Optional.empty() : ProcessHandle.of(record.pid())
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().startInstant().map(s -> s.equals(record.processStart())).orElse(false));
    }
}
