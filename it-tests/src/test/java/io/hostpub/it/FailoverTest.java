package io.hostpub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.admin.api.model.Role;
import io.hostpub.testing.CloneProcess;
import io.hostpub.testing.TestMachine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real runtime JVMs, real {@code kill -9}: the seed's failure cases end to end. */
class FailoverTest {

    private static final Duration CONVERGE = Duration.ofSeconds(60);

    @TempDir
    Path home;

    TestMachine machine;

    @BeforeEach
    void setUp() {
        machine = new TestMachine(home, "<hostpub><licenseLimit>100</licenseLimit></hostpub>");
    }

    @AfterEach
    void tearDown() {
        machine.close();
    }

    /** Waits until the registry lists exactly the live clones, with exactly one supervisor among them. */
    private MachineView awaitConverged() {
        Set<String> live = machine.live().stream().map(CloneProcess::name).collect(Collectors.toSet());
        try {
            return await().atMost(CONVERGE).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(machine::view, view -> {
                        Set<String> listed = view.instances().stream().map(InstanceSummary::name)
                                .collect(Collectors.toSet());
                        long supervisors = view.instances().stream().filter(i -> i.role() == Role.SUPERVISOR).count();
                        return listed.equals(live) && supervisors == 1 && view.instances().stream()
                                .allMatch(i -> i.role() == Role.SUPERVISOR || i.role() == Role.SUBORDINATE);
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the clones' own words: their logs live in the test's home, which is gone once the test ends
            StringBuilder logs = new StringBuilder(e.getMessage());
            for (CloneProcess clone : machine.live()) {
                List<String> lines = clone.logLines();
                logs.append("\n--- ").append(clone.name()).append(" (last 40 lines) ---\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            throw new AssertionError(logs.toString(), e);
        }
    }

    private static CloneProcess supervisorOf(TestMachine machine, MachineView view) {
        return machine.clone(view.supervisor());
    }

    @Test
    void supervisorKill9ElectsOneNewSupervisorAndKeepsTheTally() throws Exception {
        for (int i = 1; i <= 4; i++) {
            machine.startRuntime("r" + i, i);
        }
        MachineView before = await().atMost(CONVERGE).ignoreExceptions().until(machine::view,
                v -> v.instances().size() == 4 && v.licenses().inUse() == 10);
        Map<String, Integer> holdings = new HashMap<>();
        before.instances().forEach(i -> holdings.put(i.name(), i.licensesInUse()));
        CloneProcess victim = supervisorOf(machine, before);
        victim.kill9();

        MachineView after = awaitConverged();
        assertThat(after.instances()).hasSize(3);
        assertThat(after.supervisor()).isNotEqualTo(victim.name());
        int expected = holdings.entrySet().stream().filter(e -> !e.getKey().equals(victim.name()))
                .mapToInt(Map.Entry::getValue).sum();
        MachineView settled = await().atMost(CONVERGE).ignoreExceptions().until(machine::view,
                v -> v.licenses().inUse() == expected);
        assertThat(settled.instances()).allSatisfy(i -> assertThat(i.licensesInUse()).isEqualTo(holdings.get(i.name())));
        assertThat(settled.licenses().inUse())
                .isEqualTo(settled.instances().stream().mapToInt(InstanceSummary::licensesInUse).sum());
    }

    @Test
    void subordinateKill9RemovesItsEntry() throws Exception {
        for (int i = 1; i <= 3; i++) {
            machine.startRuntime("s" + i, 1);
        }
        MachineView view = awaitConverged();
        String victim = view.instances().stream().filter(i -> i.role() == Role.SUBORDINATE).findFirst()
                .orElseThrow().name();
        machine.clone(victim).kill9();
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(machine::registryNames, names -> !names.contains(victim));
        MachineView after = awaitConverged();
        assertThat(after.instances()).extracting(InstanceSummary::name).doesNotContain(victim).hasSize(2);
        // the supervisor unbinds, then drops the holdings: wait for both
        await().atMost(CONVERGE).ignoreExceptions().until(() -> machine.view().licenses().inUse() == 2);
        // the supervisor logged the loss with the dead instance's name
        CloneProcess supervisor = machine.clone(after.supervisor());
        await().untilAsserted(() -> assertThat(supervisor.logLines())
                .anyMatch(l -> l.contains("LINK_DOWN") && l.contains("subordinate " + victim + " lost")));
    }

    /** One observation of a process after a convergence. */
    private record Sample(Role role, int threads, int fds) {
    }

    /** 20 in the default run; 1000 with {@code -Pchaos}. */
    static final int SUPERVISOR_KILLS = Integer.getInteger("hostpub.it.supervisorKills", 20);

    @Test
    void consecutiveSupervisorKillsConvergeEveryTimeWithoutResourceGrowth() throws Exception {
        int next = 1;
        for (; next <= 5; next++) {
            machine.startRuntime("k" + next, 0);
        }
        Map<Long, List<Sample>> samples = new HashMap<>();
        for (int kill = 1; kill <= SUPERVISOR_KILLS; kill++) {
            MachineView view = awaitConverged();
            sample(view, samples);
            supervisorOf(machine, view).kill9();
            awaitConverged();
            machine.startRuntime("k" + next++, 0);
        }
        MachineView last = awaitConverged();
        sample(last, samples);
        assertThat(last.instances()).hasSize(5);
        assertThat(machine.registryNames()).hasSize(6).contains("main");

        // No thread or fd growth across failovers. RMI keeps the dead supervisor's registry connection in its idle
        // cache (CLOSE_WAIT) until its reaper closes it after sun.rmi.transport.connectionTimeout (15 s):
        // bounded, so the checks wait for it.
        // (1) every live subordinate, whatever it survived, fits the footprint of the fresh subordinates
        //     observed before the first kill;
        // (2) every process observed as a subordinate at least 4 times returns to its own warm footprint.
        List<Sample> fresh = samples.values().stream().map(l -> l.get(0)).filter(x -> x.role() == Role.SUBORDINATE)
                .toList();
        int freshThreads = fresh.stream().mapToInt(Sample::threads).max().orElseThrow();
        int freshFds = fresh.stream().mapToInt(Sample::fds).max().orElseThrow();
        Map<CloneProcess, Sample> warmFootprint = new HashMap<>();
        for (var entry : samples.entrySet()) {
            List<Sample> asSubordinate = entry.getValue().stream().filter(x -> x.role() == Role.SUBORDINATE).toList();
            machine.live().stream().filter(c -> c.pid() == entry.getKey()).findFirst().ifPresent(process -> {
                if (asSubordinate.size() >= 4
                        && entry.getValue().get(entry.getValue().size() - 1).role() == Role.SUBORDINATE) {
                    warmFootprint.put(process, asSubordinate.get(1));
                }
            });
        }
        List<CloneProcess> subordinates = last.instances().stream().filter(i -> i.role() == Role.SUBORDINATE)
                .map(i -> machine.clone(i.name())).toList();
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (CloneProcess process : subordinates) {
                assertThat(process.threads()).as("threads of %s", process).isLessThanOrEqualTo(freshThreads + 4);
                assertThat(process.fds()).as("fds of %s", process).isLessThanOrEqualTo(freshFds + 4);
            }
            warmFootprint.forEach((process, warm) -> {
                assertThat(process.threads()).as("threads of %s", process).isLessThanOrEqualTo(warm.threads() + 4);
                assertThat(process.fds()).as("fds of %s", process).isLessThanOrEqualTo(warm.fds() + 4);
            });
        });
    }

    private void sample(MachineView view, Map<Long, List<Sample>> samples) {
        for (InstanceSummary i : view.instances()) {
            CloneProcess p = machine.clone(i.name());
            samples.computeIfAbsent(p.pid(), k -> new java.util.ArrayList<>())
                    .add(new Sample(i.role(), p.threads(), p.fds()));
        }
    }
}
