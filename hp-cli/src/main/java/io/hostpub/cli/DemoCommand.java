package io.hostpub.cli;

import io.hostpub.admin.api.locate.LocatorException;
import io.hostpub.admin.api.locate.MachineAddress;
import io.hostpub.admin.api.locate.MachineLocator;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.runtime.config.ConfigLoader;
import io.hostpub.runtime.config.RuntimeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hpctl demo}: N runtime JVMs on this machine sharing one installation home, kept alive until
 * Ctrl-C/SIGTERM, which stops them all. Until the servlet-container clones arrive, the clones are bare
 * {@code hpctl runtime} JVMs, each holding a small licensed H2 pool.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a local demo: N clone JVMs kept alive until Ctrl-C; prints the instance list.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--clones", paramLabel = "N", defaultValue = "3", description = "number of clone JVMs (1-32)")
    int clones;

    @Option(names = "--pool", paramLabel = "N", defaultValue = "2",
            description = "licensed H2 connections each clone holds")
    int pool;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final List<Clone> started = new ArrayList<>();
    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        if (clones < 1 || clones > 32) {
            throw new IllegalArgumentException("--clones must be between 1 and 32");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path home = demoHome();
        Properties props = new Properties();
        props.putAll(System.getProperties());
        props.setProperty("hostpub.home", home.toString());
        RuntimeConfig config = new ConfigLoader(props, Map.of()).load();
        InstallationSecret secret = InstallationSecret.loadOrCreate(config.secretFile());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            synchronized (started) {
                started.forEach(Clone::stop);
            }
            stopped.countDown();
        }, "hpctl-demo-stop"));

        for (int i = 1; i <= clones; i++) {
            Clone clone = new Clone("demo-" + i, home);
            synchronized (started) {
                started.add(clone);
            }
            clone.start();
        }
        MachineAddress address = new MachineAddress(config.bindAddress().getHostAddress(), config.supervisorPort());
        MachineView view = awaitAll(new MachineLocator(secret), address);
        out.println();
        InstancesCommand.print(view, out);
        out.println();
        out.println("demo home: " + home + " (logs in " + home.resolve("logs") + ")");
        out.println("query it:  HOSTPUB_HOME=" + home + " ./hpctl instances [--json]");
        out.println("           HOSTPUB_HOME=" + home + " ./hpctl show demo-1");
        out.println("Ctrl-C stops every clone.");
        out.flush();
        stopped.await();
        return Hpctl.OK;
    }

    private Path demoHome() throws IOException {
        String configured = System.getProperty("hostpub.home", System.getenv("HOSTPUB_HOME"));
        Path home = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of("demo-home").toAbsolutePath();
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("logs"));
        Path file = home.resolve("conf/hostpub.xml");
        if (!Files.exists(file)) {
            Files.writeString(file, "<hostpub>\n  <licenseLimit>" + (clones * pool + 10) + "</licenseLimit>\n</hostpub>\n");
        }
        return home;
    }

    private MachineView awaitAll(MachineLocator locator, MachineAddress address) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                MachineView view = locator.view(address);
                if (view.instances().size() == clones) {
                    return view;
                }
            } catch (LocatorException e) {
                if (e.kind() == LocatorException.Kind.AUTHENTICATION || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the registry did not list " + clones + " instances within 60 s; see "
                        + "the logs");
            }
            Thread.sleep(100);
        }
    }

    /** One clone JVM, restarted when it dies unless the demo is stopping. */
    private final class Clone {
        private final String name;
        private final Path home;
        private volatile Process process;

        Clone(String name, Path home) {
            this.name = name;
            this.home = home;
        }

        synchronized void start() throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx96m");
            command.add("-XX:+UseSerialGC");
            command.add("-Xshare:auto");
            System.getProperties().stringPropertyNames().stream()
                    .filter(k -> k.startsWith("hostpub.") || k.startsWith("java.util.logging."))
                    .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
            command.add("-Dhostpub.home=" + home);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Hpctl.class.getName(), "runtime",
                    "--name", name, "--pool", String.valueOf(pool)));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("logs").resolve(name + ".log").toFile()));
            builder.environment().put("HOSTPUB_HOME", home.toString());
            Process p = builder.start();
            process = p;
            p.onExit().thenRun(() -> {
                if (!stopping) {
                    System.err.println("hpctl demo: clone " + name + " (pid " + p.pid() + ") exited with "
                            + p.exitValue() + "; restarting");
                    try {
                        start();
                    } catch (IOException e) {
                        System.err.println("hpctl demo: cannot restart " + name + ": " + e.getMessage());
                    }
                }
            });
        }

        void stop() {
            Process p = process;
            if (p != null && p.isAlive()) {
                p.destroy();
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
