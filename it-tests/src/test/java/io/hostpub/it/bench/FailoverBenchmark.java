package io.hostpub.it.bench;

import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.admin.api.model.Role;
import io.hostpub.it.fixture.CloneProcess;
import io.hostpub.it.fixture.TestMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover and subordinate-crash latency with real JVMs and {@code kill -9}, timed from the harness's clock
 * just before the signal to the event each runtime logs (same machine, same clock). Run with {@code -Pbench}.
 *
 * <ul>
 *   <li>failover-new-supervisor: kill of the supervisor -> a survivor has won the race and created the registry;</li>
 *   <li>failover-registry-complete: kill -> the last survivor has re-registered in the new registry;</li>
 *   <li>subordinate-unbind: kill of a subordinate -> the supervisor has unbound it;</li>
 *   <li>kill-eof-floor: kill -> a plain socket held to the victim reads end-of-stream. This is the kernel's
 *       share (it tears down a dying process's address space before it closes its sockets), in the same
 *       run, so hostpub's own share is the difference.</li>
 * </ul>
 * Before each kill the harness waits until the clones are quiet (a replacement JVM JIT-compiles for seconds
 * after it starts; on two cores that would be measured as failover time).
 */
@Tag("bench")
class FailoverBenchmark {

    static final int RUNS = Integer.getInteger("bench.runs", 30);

    @TempDir
    Path tmp;

    @Test
    void failoverAndSubordinateCrash() throws Exception {
        BenchResults results = new BenchResults();
        for (int n : new int[] {2, 4, 8, 16}) {
            try (TestMachine machine = new TestMachine(Files.createDirectories(tmp.resolve("n" + n)), null)) {
                failover(machine, n, results);
                if (n == 8) {
                    subordinateCrash(machine, n, results);
                }
            }
        }
        results.write();
    }

    private static int counter;

    private static CloneProcess start(TestMachine machine) {
        return machine.startRuntime("b" + (++counter), 0);
    }

    private static MachineView awaitConverged(TestMachine machine) {
        Set<String> live = machine.live().stream().map(CloneProcess::name).collect(Collectors.toSet());
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(machine::view, v -> v.instances().stream().map(InstanceSummary::name)
                        .collect(Collectors.toSet()).equals(live)
                        && v.instances().stream().filter(i -> i.role() == Role.SUPERVISOR).count() == 1);
    }

    /** Waits until all clones together used at most ~8% of one core over a 250 ms window. */
    static void awaitQuiet(TestMachine machine) {
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    long before = machine.live().stream().mapToLong(CloneProcess::cpuTicks).sum();
                    Thread.sleep(250);
                    long after = machine.live().stream().mapToLong(CloneProcess::cpuTicks).sum();
                    return after - before <= 2;
                });
    }

    /** A raw connection to the victim's supervisor port; reading it times the kernel's close after a kill. */
    static java.net.Socket probeSocket(TestMachine machine) throws java.io.IOException {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", machine.port());
        socket.setSoTimeout(30_000);
        return socket;
    }

    static long eofMicros(java.net.Socket socket) {
        try (socket) {
            while (socket.getInputStream().read() >= 0) {
                // the supervisor sends nothing before our hello
            }
        } catch (java.io.IOException reset) {
            // a reset is an end too
        }
        return RoleEvents.nowMicros();
    }

    private void failover(TestMachine machine, int n, BenchResults results) throws Exception {
        for (int i = 0; i < n; i++) {
            start(machine);
        }
        long[] newSupervisor = new long[RUNS];
        long[] registryComplete = new long[RUNS];
        long[] floor = new long[RUNS];
        for (int run = 0; run < RUNS; run++) {
            MachineView view = awaitConverged(machine);
            awaitQuiet(machine);
            CloneProcess victim = machine.clone(view.supervisor());
            List<CloneProcess> survivors = machine.live().stream().filter(c -> c != victim).toList();
            java.net.Socket probe = probeSocket(machine);
            long killedAt = RoleEvents.nowMicros();
            victim.kill9NoWait();
            floor[run] = eofMicros(probe) - killedAt;
            long[] settled = new long[survivors.size()];
            long[] elected = {-1};
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                for (int s = 0; s < survivors.size(); s++) {
                    if (settled[s] > 0) {
                        continue;
                    }
                    CloneProcess survivor = survivors.get(s);
                    OptionalLong sup = RoleEvents.first(survivor, "ROLE", "-> SUPERVISOR", killedAt);
                    OptionalLong sub = RoleEvents.first(survivor, "ROLE", "ELECTING -> SUBORDINATE", killedAt);
                    if (sup.isPresent()) {
                        settled[s] = sup.getAsLong();
                        elected[0] = sup.getAsLong();
                    } else if (sub.isPresent()) {
                        settled[s] = sub.getAsLong();
                    }
                }
                return java.util.Arrays.stream(settled).allMatch(t -> t > 0) && elected[0] > 0;
            });
            newSupervisor[run] = elected[0] - killedAt;
            registryComplete[run] = java.util.Arrays.stream(settled).max().orElseThrow() - killedAt;
            victim.kill9();
            start(machine);
        }
        results.latency("kill-eof-floor", "kernel", n, floor, null);
        results.latency("failover-new-supervisor", "hostpub", n, newSupervisor, null);
        results.latency("failover-registry-complete", "hostpub", n, registryComplete, null);
    }

    private void subordinateCrash(TestMachine machine, int n, BenchResults results) {
        long[] unbind = new long[RUNS];
        for (int run = 0; run < RUNS; run++) {
            MachineView view = awaitConverged(machine);
            awaitQuiet(machine);
            CloneProcess supervisor = machine.clone(view.supervisor());
            String victimName = view.instances().stream().filter(i -> i.role() == Role.SUBORDINATE)
                    .map(InstanceSummary::name).findFirst().orElseThrow();
            CloneProcess victim = machine.clone(victimName);
            long killedAt = RoleEvents.nowMicros();
            victim.kill9NoWait();
            OptionalLong unbound = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> RoleEvents.first(supervisor, "LINK_DOWN", "subordinate " + victimName + " lost",
                            killedAt), OptionalLong::isPresent);
            unbind[run] = unbound.getAsLong() - killedAt;
            victim.kill9();
            start(machine);
        }
        results.latency("subordinate-unbind", "hostpub", n, unbind, null);
    }
}
