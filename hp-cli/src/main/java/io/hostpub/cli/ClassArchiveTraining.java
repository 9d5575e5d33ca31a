package io.hostpub.cli;

import io.hostpub.runtime.HostpubRuntime;
import io.hostpub.runtime.config.ConfigLoader;
import io.hostpub.runtime.config.RuntimeConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training run of hpctl's class archive (AppCDS). The build runs it once in a JVM started with
 * {@code -XX:ArchiveClassesAtExit=hpctl.jsa}; the {@code hpctl} script then starts every JVM with that archive, so the
 * classes an operator's command loads (picocli, the configuration's JAXB and Hibernate Validator, the locator's RMI
 * client, Jackson) come parsed and verified from a mapped file instead of the jar. Measured, loading them was most of
 * an {@code hpctl instances} run.
 *
 * <p>It runs what an operator runs, for real: a runtime of its own on a free loopback port in a temporary home, then
 * {@code hpctl instances} (table and JSON) and {@code hpctl show} against it, their output discarded. So the runtime's
 * own classes are in the archive too, which shortens the first start of {@code hpctl runtime} and {@code hpctl agent}.
 * Exits 1 if a command failed, so a broken archive run fails the build instead of shipping a useless archive.
 */
public final class ClassArchiveTraining {

    private ClassArchiveTraining() {
    }

    public static void main(String[] args) throws Exception {
        // the training runtime's role changes are not news in a build's output; failures still are
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Path home = Files.createTempDirectory("hpctl-training");
        int failed;
        try {
            failed = train(home);
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        if (failed != 0) {
            System.err.println("hpctl class archive training: " + failed + " command(s) failed");
        }
        System.exit(failed == 0 ? Hpctl.OK : Hpctl.FAILED);
    }

    private static int train(Path home) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf").resolve("hostpub.xml"), "<hostpub><bindAddress>127.0.0.1</bindAddress>"
                + "<supervisorPort>" + freeLoopbackPort() + "</supervisorPort></hostpub>\n");
        System.setProperty("hostpub.home", home.toString());
        RuntimeConfig config = ConfigLoader.fromEnvironment().withInstanceName("training");
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true));
        try (HostpubRuntime runtime = HostpubRuntime.builder(config).start()) {
            int failed = 0;
            for (String[] command : new String[][] {{"instances"}, {"instances", "--json"}, {"show", "main"},
                    {"show", "training", "--json"}}) {
                failed += Hpctl.run(command) == Hpctl.OK ? 0 : 1;
            }
            return failed;
        } finally {
            System.setOut(out);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
