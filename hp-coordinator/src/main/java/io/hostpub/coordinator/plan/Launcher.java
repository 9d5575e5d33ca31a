package io.hostpub.coordinator.plan;

import io.hostpub.coordinator.api.plan.ClusterPlan;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Starts agents and monitors as processes of their own (seed 0144: the coordinator runs {@code HostAgent.sh} for an
 * agent that stopped answering; agents start a coordinator). The command is the plan's {@code launcher} (for other
 * machines, e.g. {@code ["ssh", "{address}", "/opt/hostpub/hpctl"]}), else this JVM's java with its class path and
 * {@link io.hostpub.coordinator.Main}. {@code {address}} and {@code {node}} in the launcher are replaced by the target
 * node's. The started process outlives its starter; its output goes to {@code <home>/logs/<name>.log}.
 */
public final class Launcher {

    private static final System.Logger LOG = System.getLogger(Launcher.class.getName());

    /** This JVM's class archive options, or none. */
    private static final List<String> CLASS_ARCHIVE_OPTIONS = classArchiveOptions();

    private final Supplier<ClusterPlan> plan;
    private final Path home;

    public Launcher(ClusterPlan plan, Path home) {
        this(() -> plan, home);
    }

    /** @param plan the plan in force at each launch (a node added live is launched on at its address) */
    public Launcher(Supplier<ClusterPlan> plan, Path home) {
        this.plan = plan;
        this.home = home;
    }

    /** Starts the host agent of {@code node}. */
    public long launchAgent(String node) throws IOException {
        return launch(node, "agent-" + node, List.of("agent", "--node", node));
    }

    /** Starts the monitor of {@code position} on {@code node}. */
    public long launchMonitor(String position, String node) throws IOException {
        return launch(node, "monitor-" + position.replace('/', '-'), List.of("monitor", "--position", position,
                "--node", node));
    }

    /** Starts a warm standby of the monitor of {@code position} on {@code node}. */
    public long launchStandby(String position, String node) throws IOException {
        return launch(node, "standby-" + position.replace('/', '-'), List.of("monitor", "--position", position,
                "--node", node, "--standby"));
    }

    private static List<String> classArchiveOptions() {
        List<String> options = new ArrayList<>();
        for (String argument : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("-XX:SharedArchiveFile=") || argument.startsWith("-Xshare:")
                    || argument.startsWith("-Xlog:cds")) {
                options.add(argument);
            }
        }
        return List.copyOf(options);
    }

    private Path classPathFile() throws IOException {
        Path file = home.resolve("run").resolve("classpath.args");
        String content = "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n";
        if (!Files.exists(file) || !Files.readString(file).equals(content)) {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "classpath", ".tmp");
            Files.writeString(temp, content);
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return file;
    }

    private long launch(String node, String name, List<String> args) throws IOException {
        ClusterPlan plan = this.plan.get();
        ClusterPlan.Node target = plan.node(node);
        List<String> command = new ArrayList<>();
        if (plan.launcher().isEmpty()) {
            command.add(ProcessHandle.current().info().command().orElse(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            // the class archive this JVM runs with (the hpctl script's), for the same jar: the started JVM maps the
            // classes it shares with this one instead of loading them again
            command.addAll(CLASS_ARCHIVE_OPTIONS);
            command.add("-Xmx128m");
            command.add("-XX:+UseSerialGC");
            command.add("-XX:TieredStopAtLevel=1");
            // the class path in an argument file: short command lines, readable in ps (and in ProcessHandle.Info,
            // which Linux truncates for long ones)
            command.add("@" + classPathFile());
            command.add("io.hostpub.coordinator.Main");
        } else {
            plan.launcher().forEach(part -> command.add(part.replace("{address}", target.address())
                    .replace("{node}", target.name())));
        }
        command.addAll(args);
        command.add("--home");
        command.add(home.toAbsolutePath().toString());
        Path log = home.resolve("logs").resolve(name + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        LOG.log(Level.INFO, "launched {0} on node {1} (pid {2}, log {3})", name, node, process.pid(), log);
        return process.pid();
    }
}
