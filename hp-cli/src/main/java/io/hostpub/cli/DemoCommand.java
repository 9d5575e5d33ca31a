package io.hostpub.cli;

import io.hostpub.admin.api.locate.MachineAddress;
import io.hostpub.admin.api.locate.MachineLocator;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.coordinator.agent.NodeAgent;
import io.hostpub.coordinator.api.job.HealthCheck;
import io.hostpub.coordinator.api.plan.ClusterPlan.Application;
import io.hostpub.coordinator.api.plan.ClusterPlan.MonitorPosition;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.lifecycle.NamedThreads;
import io.hostpub.runtime.config.ConfigLoader;
import io.hostpub.runtime.config.RuntimeConfig;
import io.hostpub.runtime.security.AdminCredentials;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hpctl demo}: N servlet-container clones on this machine (Jetty 12 and Tomcat alternating, embedded, each
 * serving {@code HostPublisher.war} on its own HTTP port), sharing one installation home, kept alive by the cluster
 * supervision: the demo writes a one-node cluster plan (applications {@code jetty} and {@code tomcat}), runs the
 * node's host agent in this process, and the agent starts the local coordinator, which places the clones; a clone
 * that dies is restarted by the agent. Waits until the machine's registry lists all of them, prints the admin URL
 * and credentials, and on Ctrl-C/SIGTERM stops the coordinator and every clone. Builds nothing: it runs what
 * {@code mvn install} built.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a local demo: N Jetty/Tomcat clones serving HostPublisher.war, kept alive until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--clones", paramLabel = "N", defaultValue = "3", description = "number of clone JVMs (1-32)")
    int clones;

    @Option(names = "--http-port", paramLabel = "FIRST", defaultValue = "8081",
            description = "HTTP port of the first clone; the others take the next ones")
    int firstPort;

    @Option(names = "--war", paramLabel = "FILE", defaultValue = "${sys:hostpub.demo.war}",
            description = "the WAR to deploy (default: hp-admin-war/target/HostPublisher.war)")
    Path war;

    @Option(names = "--clone-dir", paramLabel = "DIR", defaultValue = "${sys:hostpub.demo.cloneDir}",
            description = "the built launchers: hp-clone.jar, jetty-lib/, tomcat-lib/ (default: hp-clone/target)")
    Path cloneDir;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final String NODE = "local";
    static final String POSITION = "local/demo";

    /** The two embedded containers, alternating. */
    enum Container {
        JETTY("io.hostpub.clone.JettyClone", "jetty-lib"),
        TOMCAT("io.hostpub.clone.TomcatClone", "tomcat-lib");

        final String mainClass;
        final String libDir;

        Container(String mainClass, String libDir) {
            this.mainClass = mainClass;
            this.libDir = libDir;
        }

        String shortName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (clones < 1 || clones > 32) {
            throw new IllegalArgumentException("--clones must be between 1 and 32");
        }
        if (firstPort < 1 || firstPort + clones - 1 > 65535) {
            throw new IllegalArgumentException("--http-port must leave room for " + clones + " ports below 65536");
        }
        checkBuilt();
        PrintWriter out = spec.commandLine().getOut();
        Path home = demoHome();
        Properties props = new Properties();
        props.putAll(System.getProperties());
        props.setProperty("hostpub.home", home.toString());
        RuntimeConfig config = new ConfigLoader(props, Map.of()).load();
        checkPortsFree(config);
        InstallationSecret secret = InstallationSecret.loadOrCreate(config.secretFile());
        String credentials = credentials(config, home);
        if (System.getProperty("hostpub.adminPassword") != null && config.adminPassword().isPresent()) {
            // the clones get its PBKDF2 hash, never the password itself (command lines are readable by every user)
            props.setProperty("hostpub.adminPasswordHash", io.hostpub.runtime.security.PasswordHash.of(
                    config.adminPassword().get().toCharArray()).text());
        }

        ClusterPlan plan = writePlan(home, props);
        java.util.concurrent.atomic.AtomicReference<NodeAgent> started = new java.util.concurrent.atomic.AtomicReference<>();
        NodeAgent node = NodeAgent.start(plan, home, NODE, Optional.empty(), () -> {
            Optional<String> order = Optional.ofNullable(started.get()).flatMap(NodeAgent::shutDownFor);
            if (order.isPresent()) {
                System.err.println("hpctl demo: the installation was shut down (" + order.get() + "); exiting");
                System.exit(Hpctl.OK);
            }
            System.err.println("hpctl demo: another agent took over node " + NODE + "; exiting");
            System.exit(Hpctl.FAILED);
        });
        started.set(node);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new NamedThreads("demo-stop").newThread(() -> {
            stop(node, home);
            stopped.countDown();
        }));

        MachineAddress address = new MachineAddress(config.bindAddress().getHostAddress(), config.supervisorPort());
        MachineView view = DemoRegistry.awaitAll(new MachineLocator(secret), address, clones);
        out.println();
        InstancesCommand.print(view, out);
        out.println();
        out.println("admin UI:  http://127.0.0.1:" + firstPort + "/HostPublisher/hpadmin/  (any clone's port works)");
        out.println("login:     " + credentials + config.viewer().flatMap(v -> v.password().map(pw -> "   read only: "
                + v.user() + " / " + pw)).orElse(""));
        out.println("sample app (moves the license tally): http://127.0.0.1:" + firstPort
                + "/HostPublisher/app/query?holdMs=2000");
        out.println("metrics:   http://127.0.0.1:" + firstPort + "/HostPublisher/hpadmin/metrics  (Prometheus, same login;"
                + " targets: /HostPublisher/hpadmin/api/sd)");
        out.println("demo home: " + home + " (clone logs in " + home.resolve("nodes").resolve(NODE).resolve("logs") + ")");
        out.println("CLI:       HOSTPUB_HOME=" + home + " ./hpctl instances [--json]");
        out.println("cluster:   HOSTPUB_HOME=" + home + " ./hpctl cluster   (agent, coordinator, clone jobs); who changed"
                + " what: ./hpctl audit");
        out.println("Ctrl-C, or HOSTPUB_HOME=" + home + " ./hpctl cluster shutdown, stops the coordinator and every"
                + " clone.");
        out.flush();
        stopped.await();
        return Hpctl.OK;
    }

    private void checkBuilt() {
        if (war == null || !Files.isRegularFile(war)) {
            throw new IllegalArgumentException("the WAR " + war + " is missing; build it with: mvn -B -q install -DskipTests");
        }
        if (cloneDir == null || !Files.isRegularFile(cloneDir.resolve("hp-clone.jar"))) {
            throw new IllegalArgumentException("the clone launchers are missing in " + cloneDir
                    + "; build them with: mvn -B -q install -DskipTests");
        }
    }

    private void checkPortsFree(RuntimeConfig config) {
        for (int port = firstPort; port < firstPort + clones; port++) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                throw new IllegalArgumentException("HTTP port " + port + " is in use; choose others with --http-port");
            }
        }
    }

    /**
     * The login to print. A demo home the demo created holds a generated {@code adminPassword} in its (0600)
     * hostpub.xml; an operator's own home keeps its configuration and is only told where the password is.
     */
    private String credentials(RuntimeConfig config, Path home) {
        if (config.adminPassword().isPresent()) {
            return config.adminUser() + " / " + config.adminPassword().get();
        }
        if (config.adminPasswordHash().isPresent()) {
            return config.adminUser() + " / (the password whose hash is adminPasswordHash in " + home + "/conf/hostpub.xml)";
        }
        Optional<String> generated = AdminCredentials.resolve(config).generatedPassword();
        return generated.map(p -> config.adminUser() + " / " + p + " (generated now, shown once)")
                .orElse(config.adminUser() + " / (generated at this home's first start and logged then; delete "
                        + AdminCredentials.generatedFile(config) + " to generate a new one)");
    }

    private Path demoHome() throws IOException {
        String configured = System.getProperty("hostpub.home", System.getenv("HOSTPUB_HOME"));
        Path home = configured != null && !configured.isBlank() ? Path.of(configured).toAbsolutePath()
                : Path.of("demo-home").toAbsolutePath();
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("logs"));
        Path file = home.resolve("conf/hostpub.xml");
        if (!Files.exists(file) && (configured == null || configured.isBlank())) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, "<hostpub>\n  <licenseLimit>" + (clones * 4 + 10) + "</licenseLimit>\n"
                    + "  <adminPassword>" + randomPassword() + "</adminPassword>\n  <viewerUser>viewer</viewerUser>\n"
                    + "  <viewerPassword>" + randomPassword() + "</viewerPassword>\n</hostpub>\n");
        }
        return home;
    }

    private static String randomPassword() {
        char[] alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            password.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return password.toString();
    }

    /**
     * The demo's cluster plan: one node on this machine, one local coordinator, the clones as two applications whose
     * ports interleave (Jetty on the first port, Tomcat on the next, and so on).
     */
    private ClusterPlan writePlan(Path home, Properties props) throws IOException {
        Path file = home.resolve("conf").resolve(ClusterPlan.FILE);
        if (Files.exists(file)) {
            ClusterPlan existing;
            try {
                existing = ClusterPlan.load(home);
            } catch (IOException e) {
                existing = null;
            }
            if (existing == null || existing.nodes().size() != 1 || !existing.nodes().get(0).name().equals(NODE)) {
                throw new IllegalArgumentException(file + " is a cluster plan of its own; run the demo with a home"
                        + " of its own (unset HOSTPUB_HOME)");
            }
        }
        List<Application> applications = new ArrayList<>();
        int jetty = (clones + 1) / 2;
        applications.add(application(Container.JETTY, jetty, firstPort, home, props));
        if (clones - jetty > 0) {
            applications.add(application(Container.TOMCAT, clones - jetty, firstPort + 1, home, props));
        }
        ClusterPlan plan = new ClusterPlan(500, freePort(), freePort(), null,
                List.of(new ClusterPlan.Node(NODE, "127.0.0.1")),
                List.of(new MonitorPosition(POSITION, List.of(NODE), null)), applications, null, null);
        plan.write(home);
        return plan;
    }

    private Application application(Container container, int count, int port, Path home, Properties props) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx192m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        // never a password on a command line (every local user reads /proc/PID/cmdline) nor in the plan's file
        props.stringPropertyNames().stream()
                .filter(k -> k.startsWith("hostpub.") && !k.startsWith("hostpub.demo.")
                        && !k.equals("hostpub.adminPassword"))
                .sorted()
                .forEach(k -> command.add("-D" + k + "=" + props.getProperty(k)));
        String classPath = cloneDir.toAbsolutePath().resolve("hp-clone.jar") + java.io.File.pathSeparator
                + cloneDir.toAbsolutePath().resolve(container.libDir) + java.io.File.separator + "*";
        command.addAll(List.of("-cp", classPath, container.mainClass, "--port", "{port}",
                "--war", Application.WAR, "--work",
                home.resolve("work").resolve(container.shortName() + "-{port}").toString()));
        // the agent asks each clone's health endpoint: a clone that stops answering (a deadlock, SIGSTOP) is killed,
        // with evidence kept, and restarted; until it answers after a start it counts as down
        return new Application(container.shortName(), count, command, Map.of("HOSTPUB_HOME", home.toString()), port,
                2, POSITION, null, null, "clone", HealthCheck.http("/HostPublisher/health"),
                war.toAbsolutePath().toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Stops the coordinator first (so nothing restarts what is being stopped), then every clone. */
    private static void stop(NodeAgent node, Path home) {
        if (node.shutDownFor().isPresent()) {
            return; // shut down by an order: the coordinator and the clones are stopped already
        }
        node.stopWatchingParent();
        String homeArg = home.toString();
        ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> List.of(a).contains(homeArg)
                && List.of(a).contains("monitor")).orElse(false)).forEach(p -> {
                    p.destroy();
                    try {
                        p.onExit().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
        try {
            node.stopJobsAndClose(java.time.Duration.ofSeconds(15));
        } catch (Exception e) {
            System.err.println("hpctl demo: stopping the clones: " + e);
        }
    }
}
