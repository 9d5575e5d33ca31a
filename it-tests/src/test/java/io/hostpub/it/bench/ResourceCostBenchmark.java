package io.hostpub.it.bench;

import static org.awaitility.Awaitility.await;

import io.hostpub.testing.CloneProcess;
import io.hostpub.testing.TestMachine;
import io.hostpub.testing.ZooKeeperProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost of membership in an idle JVM ({@link ResourceProbe}), for hostpub's runtime as supervisor and as
 * subordinate, a Curator LeaderLatch member (against a real ZooKeeper server, whose own process is not counted) and a
 * JGroups TCP member (first and second member). Each case runs {@code bench.costRuns} (5) times in fresh JVMs with
 * the flags of the other benchmarks; the median is reported ({@code resource-cost.json}). hostpub runs twice: on the
 * benchmark's class path, like the others, and on its own ("hostpub-own-classpath"). Run with {@code -Pbench}.
 */
@Tag("bench")
class ResourceCostBenchmark {

    static final int RUNS = Integer.getInteger("bench.costRuns", 5);

    @TempDir
    Path tmp;

    @Test
    void membershipCost() throws Exception {
        BenchResults results = new BenchResults();
        measure(results, "hostpub", List.of("supervisor", "subordinate"), machine -> List.of("hostpub"),
                List.of("-Dhostpub.instanceName=cost1", "-Dhostpub.instanceName=cost2"));
        // the same runtime on its own class path (hp-runtime.jar and target/container-lib, as a container-level
        // installation has it) instead of the benchmark's 150-odd test jars, each of which a JVM that opened it keeps
        // the central directory of in its heap
        measure(results, "hostpub-own-classpath", List.of("supervisor", "subordinate"), machine -> List.of(),
                List.of("-Dhostpub.instanceName=cost1", "-Dhostpub.instanceName=cost2"));
        try (TestMachine machine = new TestMachine(Files.createDirectories(tmp.resolve("zk")), null);
                ZooKeeperProcess zookeeper = new ZooKeeperProcess(machine)) {
            measure(results, "curator", List.of("leader", "member"), m -> List.of("curator", zookeeper.connectString(),
                    m.home().getFileName().toString()),
                    List.of("", ""));
        }
        measure(results, "jgroups", List.of("leader", "member"), machine -> List.of("jgroups", "cost"),
                List.of("-Djava.net.preferIPv4Stack=true", "-Djava.net.preferIPv4Stack=true"));
        results.write();
    }

    /** The probe's arguments for one machine. */
    interface Args {
        List<String> of(TestMachine machine);
    }

    /** Starts the first member, then the second (which joins the first), RUNS times; reports medians per role. */
    private void measure(BenchResults results, String system, List<String> roles, Args args, List<String> flags)
            throws Exception {
        List<List<long[]>> byRole = List.of(new ArrayList<>(), new ArrayList<>());
        for (int run = 0; run < RUNS; run++) {
            try (TestMachine machine = new TestMachine(Files.createDirectories(tmp.resolve(system + run)), null)) {
                for (int member = 0; member < 2; member++) {
                    List<String> jvmFlags = new ArrayList<>(List.of("-Dhostpub.home=" + machine.home(),
                            "-Dhostpub.supervisorPort=" + machine.port(), "-Djgroups.bind_addr=127.0.0.1",
                            "-Djgroups.tcpping.initial_hosts=127.0.0.1[7800]"));
                    if (!flags.get(member).isEmpty()) {
                        jvmFlags.add(flags.get(member));
                    }
                    List<String> command = new ArrayList<>(system.equals("hostpub-own-classpath")
                            ? runtimeOnly(jvmFlags) : PeerGroup.java(ResourceProbe.class, jvmFlags));
                    command.addAll(args.of(machine));
                    CloneProcess probe = CloneProcess.launch(machine, system + member, command, null);
                    machine.track(probe);
                    String line = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                            .until(() -> probe.logLines().stream().filter(l -> l.startsWith("COST ")).findFirst(),
                                    Optional::isPresent).orElseThrow();
                    String[] f = line.split(" ");
                    if (!f[2].equals(roles.get(member))) {
                        throw new IllegalStateException(system + " member " + member + " joined as " + f[2]);
                    }
                    byRole.get(member).add(new long[] {Long.parseLong(f[4]) - Long.parseLong(f[3]),
                            Long.parseLong(f[6]) - Long.parseLong(f[5]), Long.parseLong(f[7]), Long.parseLong(f[8])});
                }
            }
        }
        for (int member = 0; member < 2; member++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("benchmark", "resource-cost");
            row.put("system", system);
            row.put("role", roles.get(member));
            row.put("runs", RUNS);
            row.put("threadsAdded", median(byRole.get(member), 0));
            // of those, the threads the group's own code named (the rest are the JDK's: RMI's, for hostpub)
            row.put("ownThreads", median(byRole.get(member), 3));
            row.put("heapAddedKiB", median(byRole.get(member), 1));
            row.put("joinMs", BenchResults.ms(median(byRole.get(member), 2)));
            results.facts("resource-cost", row);
        }
    }

    /** {@link RuntimeCostProbe} on the runtime's jar, its dependencies and this module's test classes. */
    private static List<String> runtimeOnly(List<String> jvmFlags) throws java.io.IOException {
        Path target = Path.of("..", "hp-runtime", "target").toAbsolutePath().normalize();
        List<String> classPath = new ArrayList<>(List.of(Path.of("target", "test-classes").toAbsolutePath().toString()));
        try (var jars = Files.list(target); var lib = Files.list(target.resolve("container-lib"))) {
            jars.filter(j -> j.getFileName().toString().matches("hp-runtime-[^-]+(-SNAPSHOT)?\\.jar"))
                    .forEach(j -> classPath.add(j.toString()));
            lib.filter(j -> j.toString().endsWith(".jar")).sorted().forEach(j -> classPath.add(j.toString()));
        }
        List<String> command = new ArrayList<>(PeerGroup.java(RuntimeCostProbe.class, jvmFlags));
        command.set(command.indexOf("-cp") + 1, String.join(java.io.File.pathSeparator, classPath));
        return command;
    }

    private static long median(List<long[]> samples, int field) {
        long[] values = samples.stream().mapToLong(s -> s[field]).sorted().toArray();
        return values[values.length / 2];
    }
}
