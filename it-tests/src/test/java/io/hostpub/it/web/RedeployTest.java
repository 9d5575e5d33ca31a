package io.hostpub.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.testing.Containers.ContainerClone;
import io.hostpub.testing.Containers.Distribution;
import io.hostpub.testing.Containers;
import io.hostpub.testing.FreePorts;
import io.hostpub.testing.TestMachine;
import io.hostpub.testing.TestPasswords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Redeploying HostPublisher.war (hot deployment: the WAR replaced in {@code webapps/}) {@code hostpub.it.redeploys}
 * times (4 in the default run, 10 with {@code -Pchaos}) in Jetty and in Tomcat, after two that let class loading
 * settle: every deployment starts a new runtime that rejoins the machine, and the container's threads and loaded
 * classes do not grow (each undeployed copy is unloaded: no thread, registry, RMI export or JVM-wide hook keeps its
 * class loader). A copy leaked per redeploy would add some 1,750 classes each time: even four redeploys leave no
 * doubt.
 */
@Execution(ExecutionMode.CONCURRENT) // beside the other classes (junit-platform.properties): it mostly waits
class RedeployTest {

    static final int REDEPLOYS = Integer.getInteger("hostpub.it.redeploys", 4);
    /** Classes one deployment of HostPublisher.war loads (measured: 1,750 to 1,765). */
    static final int ONE_COPY = 1_800;
    static final String PASSWORD = "redeploy-password";
    static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    @TempDir
    Path home;

    @ParameterizedTest
    @Execution(ExecutionMode.SAME_THREAD) // one container after the other
    @EnumSource(value = Distribution.class, names = {"JETTY_12", "TOMCAT_11"})
    void redeploysLeakNoThreadsOrClasses(Distribution distribution) throws Exception {
        try (TestMachine machine = new TestMachine(home, "<hostpub>" + TestPasswords.configElement(PASSWORD)
                + "</hostpub>")) {
            // RMI's idle connection threads keep their last connection (and its socket's class) for
            // sun.rmi.transport.tcp.threadKeepAliveTime (60 s), its client cache keeps idle connections for
            // sun.rmi.transport.connectionTimeout (15 s), its DGC client retries cleaning references to objects of
            // the undeployed runtime every sun.rmi.dgc.cleanInterval (3 min): all shortened so the measurement need
            // not wait for them
            ContainerClone clone = Containers.start(machine, distribution, FreePorts.next(),
                    List.of(Containers.war()), List.of(), "-Dsun.rmi.transport.tcp.threadKeepAliveTime=1000",
                    "-Dsun.rmi.transport.connectionTimeout=1000", "-Dsun.rmi.dgc.cleanInterval=1000",
                    // the JDK's serialization caches hold classes softly (kept while memory allows, by design):
                    // cleared at every collection here, so what stays is what is strongly held
                    "-XX:SoftRefLRUPolicyMSPerMB=0");
            Instant started = awaitNewRuntime(machine, clone, Instant.EPOCH);
            // two deployments first, so class loading settles (JDK classes the first undeploy touches, the one
            // JVM-wide filter factory the first deployment installed)
            for (int i = 0; i < 2; i++) {
                started = redeploy(machine, clone, started, i);
            }
            long measuring = System.nanoTime();
            Footprint before = Footprint.of(clone.process().pid());
            System.out.printf("%s: footprint before taken in %d ms%n", distribution,
                    (System.nanoTime() - measuring) / 1_000_000);
            for (int i = 0; i < REDEPLOYS; i++) {
                started = redeploy(machine, clone, started, i + 2);
            }
            // the JDK lets go of an undeployed copy in its own time (RMI's DGC and connection reaping), and now and then
            // the container keeps the last undeployed copy a while longer (seen with Tomcat 11 and with Jetty 12, in
            // about one run in four, never more than one copy). Nothing is deployed while this waits, so the count
            // only falls: the wait ends as soon as the bound below holds, which a copy leaked per redeploy never does
            // (one deployment loads ~1,750 classes, so each leak adds that much)
            long pid = clone.process().pid();
            long unloading = System.nanoTime();
            Footprint[] after = {Footprint.of(pid)};
            long bound = before.classes() + ONE_COPY + 500;
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                    after[0] = Footprint.of(pid);
                    return after[0].classes() < bound && after[0].threads() <= before.threads() + 2;
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // reported by the assertions below, with the figures; the heap dump shows what holds the old copies
                Path dump = Path.of("target", "redeploy-" + distribution + ".hprof").toAbsolutePath();
                Files.deleteIfExists(dump);
                Footprint.jcmd(pid, "GC.heap_dump " + dump);
                System.out.printf("%s: heap dump for the analysis of the leak: %s%n", distribution, dump);
            }
            System.out.printf("%s redeploy footprint: before %s, after %d redeploys %s (%s, measured in %d ms)%n",
                    distribution, before, REDEPLOYS, after[0], after[0].classes() < before.classes() + 500
                            ? "every old copy unloaded" : "one old copy still held",
                    (System.nanoTime() - unloading) / 1_000_000);
            assertThat(after[0].threads()).as("threads after %d redeploys (before: %s)", REDEPLOYS, before)
                    .isLessThanOrEqualTo(before.threads() + 2);
            assertThat(after[0].classes()).as("loaded classes after %d redeploys (before: %s)", REDEPLOYS, before)
                    .isLessThan(bound);
            assertThat(machine.view().instances()).extracting(InstanceSummary::name)
                    .containsExactly(clone.instanceName());
            // every deployment published its MBeans and every undeployment took them away: one runtime's are left
            Object published = Jmx.inJvm(pid, jmx -> jmx.queryNames(new javax.management.ObjectName("io.hostpub:*"),
                    null).stream().map(n -> n.getKeyProperty("type")).sorted().toList());
            assertThat(published).as("io.hostpub MBeans after %d redeploys", REDEPLOYS)
                    .isEqualTo(List.of("Licenses", "Runtime"));
        }
    }

    private static Instant redeploy(TestMachine machine, ContainerClone clone, Instant previous, int round)
            throws IOException {
        Path deployed = clone.deployedWar("HostPublisher.war");
        Path staged = deployed.resolveSibling(".HostPublisher.war.new");
        Files.copy(Containers.war(), staged, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(staged, FileTime.from(Instant.now().plusSeconds(round + 1)));
        Files.move(staged, deployed, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        long since = System.nanoTime();
        Instant started = awaitNewRuntime(machine, clone, previous);
        System.out.printf("%s round %d: new runtime registered %d ms after the WAR was replaced%n",
                clone.distribution(), round, (System.nanoTime() - since) / 1_000_000);
        // the admin API of the new deployment works, which also makes it an RMI client of the machine
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> HTTP.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(clone.url("/hpadmin/api/instances")))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                ("admin:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        return started;
    }

    /**
     * Waits until the clone's runtime in the registry is one started after {@code previous}. If none comes, prints
     * the container's own log and its log directory (the machine home is deleted with the test) and what the
     * registry holds, then fails.
     */
    private static Instant awaitNewRuntime(TestMachine machine, ContainerClone clone, Instant previous)
            throws IOException {
        try {
            return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> machine.view().instances().stream()
                            .filter(i -> i.name().equals(clone.instanceName()))
                            .map(InstanceSummary::startedAt).filter(at -> at.isAfter(previous)).findFirst()
                            .orElse(null), at -> at != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("=== no new runtime after " + previous + "; registry: " + registrySummary(machine));
            printTail(clone.process().log(), 200);
            Path logs = clone.base().resolve("logs");
            if (Files.isDirectory(logs)) {
                try (var files = Files.list(logs)) {
                    for (Path file : files.sorted().toList()) {
                        printTail(file, 120);
                    }
                }
            }
            try {
                System.out.println(Footprint.jcmd(clone.process().pid(), "Thread.print"));
            } catch (Exception dumpFailed) {
                System.out.println("no thread dump: " + dumpFailed);
            }
            throw e;
        }
    }

    private static String registrySummary(TestMachine machine) {
        try {
            return machine.registryNames() + " " + machine.view().instances();
        } catch (IOException | RuntimeException e) {
            return "unreachable: " + e;
        }
    }

    private static void printTail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        System.out.println("=== " + file + " (last " + lines + " of " + all.size() + " lines)");
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.out::println);
    }

    /** Live threads and loaded classes of a JVM, after full collections (jcmd, as an operator would look). */
    record Footprint(int threads, long classes) {

        static Footprint of(long pid) throws Exception {
            // a first collection frees the stubs of the old deployments' admin clients; their DGC clean calls
            // end the RMI RenewClean threads, idle connections and their threads close (1 s above); then collect
            // (collected again at each look: a stub still cached when one collection ran is freed by the next, and an
            // idle JVM might not collect for minutes on its own)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> jcmd(pid, "GC.run") != null && threadNames(pid).stream()
                            .noneMatch(n -> n.startsWith("RMI TCP Connect") || n.startsWith("RMI RenewClean")));
            for (int i = 0; i < 3; i++) {
                jcmd(pid, "GC.run");
            }
            String counters = jcmd(pid, "PerfCounter.print");
            long loaded = counter(counters, "java.cls.loadedClasses") + counter(counters, "java.cls.sharedLoadedClasses");
            long unloaded = counter(counters, "java.cls.unloadedClasses")
                    + counter(counters, "java.cls.sharedUnloadedClasses");
            int threads;
            // RMI's per-connection threads come and go with clients (idle ones end after 15 s): not counted
            try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
                threads = (int) tasks.filter(task -> !comm(task).startsWith("RMI TCP Connect")).count();
            }
            return new Footprint(threads, loaded - unloaded);
        }

        private static List<String> threadNames(long pid) throws IOException {
            try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
                return tasks.map(Footprint::comm).toList();
            }
        }

        private static String comm(Path task) {
            try {
                return Files.readString(task.resolve("comm")).strip();
            } catch (IOException gone) {
                return "RMI TCP Connect"; // the thread ended meanwhile
            }
        }

        private static long counter(String counters, String name) {
            return counters.lines().filter(l -> l.startsWith(name + "=")).findFirst()
                    .map(l -> Long.parseLong(l.substring(name.length() + 1).strip())).orElse(0L);
        }

        private static String jcmd(long pid, String command) throws Exception {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            List<String> line = new java.util.ArrayList<>(List.of(jcmd.toString(), String.valueOf(pid)));
            line.addAll(List.of(command.split(" ")));
            Process process = new ProcessBuilder(line)
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(out).isZero();
            return out;
        }
    }
}
