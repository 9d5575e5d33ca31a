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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hung process (SIGSTOP) is invisible to socket close; the progress probe catches it. */
class ProgressProbeTest {

    @TempDir
    Path home;

    TestMachine machine;

    @BeforeEach
    void setUp() {
        machine = new TestMachine(home, "<hostpub><progressProbeMs>500</progressProbeMs></hostpub>");
    }

    @AfterEach
    void tearDown() {
        machine.close();
    }

    @Test
    void pausedSubordinateIsUnboundKeepsItsUnitsAndRejoinsWhenResumed() throws Exception {
        for (int i = 1; i <= 3; i++) {
            machine.startRuntime("p" + i, 1);
        }
        // every pool holds its unit first (a new supervisor grants after its reclaim window, 1 s)
        MachineView view = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(machine::view,
                v -> v.instances().size() == 3 && v.licenses().inUse() == 3);
        String victimName = view.instances().stream().filter(i -> i.role() == Role.SUBORDINATE).findFirst()
                .orElseThrow().name();
        CloneProcess victim = machine.clone(victimName);

        victim.pause();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(machine::registryNames, names -> !names.contains(victimName));
        CloneProcess supervisor = machine.clone(view.supervisor());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(supervisor.logLines())
                .anyMatch(l -> l.contains("PROBE") && l.contains(victimName) && l.contains("declared dead"))
                .anyMatch(l -> l.contains("subordinate " + victimName + " lost") && l.contains("1 license unit(s) kept")));
        // a hung process still holds what it was granted: its unit stays counted, nobody else can take it
        assertThat(machine.view().licenses().inUse()).isEqualTo(3);

        victim.resume();
        MachineView rejoined = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(machine::view,
                v -> v.instances().stream().map(InstanceSummary::name).anyMatch(victimName::equals)
                        && v.licenses().inUse() == 3);
        assertThat(rejoined.instances()).hasSize(3).filteredOn(i -> i.role() == Role.SUPERVISOR).hasSize(1);

        // hung again, then killed: the units come back when its process is gone
        victim.pause();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(machine::registryNames, names -> !names.contains(victimName));
        victim.kill9();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> machine.view().licenses().inUse() == 2);
        assertThat(supervisor.logLines()).anyMatch(l -> l.contains("hung subordinate " + victimName)
                && l.contains("exited: 1 license unit(s) dropped"));
    }

    @Test
    void pausedSupervisorIsDeclaredDeadAndEveryoneReRegistersWhenItResumes() throws Exception {
        for (int i = 1; i <= 3; i++) {
            machine.startRuntime("q" + i, 1);
        }
        MachineView view = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(machine::view,
                v -> v.instances().size() == 3 && v.licenses().inUse() == 3);
        CloneProcess supervisor = machine.clone(view.supervisor());
        java.util.List<CloneProcess> subordinates = machine.live().stream().filter(c -> c != supervisor).toList();

        supervisor.pause();
        // it still holds the port, so nobody can take over: the subordinates report it and keep retrying
        for (CloneProcess subordinate : subordinates) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(subordinate.logLines())
                    .anyMatch(l -> l.contains("PROBE") && l.contains("supervisor " + supervisor.name()
                            + " declared dead")));
        }
        supervisor.resume();
        MachineView after = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(machine::view,
                v -> v.instances().size() == 3 && v.licenses().inUse() == 3
                        && v.instances().stream().filter(i -> i.role() == Role.SUPERVISOR).count() == 1);
        assertThat(after.supervisor()).isEqualTo(supervisor.name());
    }
}
