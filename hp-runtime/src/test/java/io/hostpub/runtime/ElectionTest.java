package io.hostpub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.admin.api.model.Role;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElectionTest {

    @TempDir
    java.nio.file.Path home;

    RuntimeFixture machine;

    @BeforeEach
    void setUp() {
        machine = new RuntimeFixture(home);
    }

    @AfterEach
    void tearDown() {
        machine.close();
    }

    private Set<String> registry() {
        return Set.copyOf(machine.supervisors().get(0).registryNames().orElseThrow());
    }

    @Test
    void concurrentStartsElectExactlyOneSupervisorAndRegisterEveryone() throws Exception {
        List<CompletableFuture<HostpubRuntime>> starts = List.of("a", "b", "c", "d").stream()
                .map(n -> CompletableFuture.supplyAsync(() -> machine.start(n))).toList();
        starts.forEach(CompletableFuture::join);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(machine.supervisors()).hasSize(1);
            assertThat(machine.live()).extracting(HostpubRuntime::role)
                    .containsOnly(Role.SUPERVISOR, Role.SUBORDINATE);
            assertThat(registry()).containsExactlyInAnyOrder("main", "a", "b", "c", "d");
        });

        MachineView view = machine.locator().view(machine.address());
        HostpubRuntime supervisor = machine.supervisors().get(0);
        assertThat(view.supervisor()).isEqualTo(supervisor.name());
        assertThat(view.registryPort()).isEqualTo(supervisor.registryPort().orElseThrow());
        assertThat(view.instances()).extracting(InstanceSummary::name).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(view.instances()).filteredOn(i -> i.role() == Role.SUPERVISOR).hasSize(1);
        assertThat(view.instances().get(0).role()).isEqualTo(Role.SUPERVISOR);
        assertThat(view.instances()).allSatisfy(i -> assertThat(i.pid()).isEqualTo(ProcessHandle.current().pid()));
        // main is the supervisor's own admin object
        var located = machine.locator().locate(machine.address());
        assertThat(located.main().admin().summary().name()).isEqualTo(supervisor.name());
    }

    /**
     * Two runtimes of one name in one JVM are a redeployment (Jetty starts the new WAR before stopping the old):
     * the newcomer is refused, nothing is overwritten, and it registers as soon as its predecessor leaves. A
     * duplicate from another process is refused outright (it-tests' HpctlCliTest).
     */
    @Test
    void aSecondRuntimeOfOneNameInThisJvmWaitsForTheFirstAndNothingIsOverwritten() throws Exception {
        machine.start("a");
        HostpubRuntime first = machine.start("b");
        HostpubRuntime successor = machine.start("b");
        assertThat(successor.role()).isEqualTo(Role.ELECTING);
        assertThat(registry()).containsExactlyInAnyOrder("main", "a", "b");
        var bound = machine.locator().find(machine.address(), "b").orElseThrow();
        assertThat(bound.admin().summary().startedAt()).isEqualTo(first.summary().startedAt());
        assertThat(successor.events().newest(10)).anySatisfy(e -> assertThat(e.message())
                .contains("held by the previous deployment"));

        first.close();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            assertThat(successor.role()).isEqualTo(Role.SUBORDINATE);
            var now = machine.locator().find(machine.address(), "b").orElseThrow();
            assertThat(now.admin().summary().startedAt()).isEqualTo(successor.summary().startedAt());
        });
        assertThat(registry()).containsExactlyInAnyOrder("main", "a", "b");
    }

    @Test
    void supervisorLossElectsOneNewSupervisorAndEverySurvivorReRegisters() throws Exception {
        for (String n : List.of("a", "b", "c", "d")) {
            machine.start(n);
        }
        HostpubRuntime first = machine.supervisors().get(0);
        first.close();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(machine.supervisors()).hasSize(1);
            assertThat(machine.live()).hasSize(3).extracting(HostpubRuntime::role)
                    .containsOnly(Role.SUPERVISOR, Role.SUBORDINATE);
            Set<String> expected = machine.live().stream().map(HostpubRuntime::name).collect(Collectors.toSet());
            assertThat(registry()).containsExactlyInAnyOrderElementsOf(union(expected, "main"));
        });
        HostpubRuntime second = machine.supervisors().get(0);
        assertThat(second).isNotSameAs(first);
        assertThat(second.events().newest(50)).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(EventKind.ROLE);
            assertThat(e.message()).contains("SUPERVISOR");
        });
    }

    @Test
    void subordinateLossRemovesItsEntryAtOnce() {
        machine.start("a");
        HostpubRuntime b = machine.start("b");
        machine.start("c");
        await().untilAsserted(() -> assertThat(registry()).contains("b"));
        b.close();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(registry()).containsExactlyInAnyOrder("main", "a", "c"));
    }

    @Test
    void closeReleasesThePortAndEveryThread() {
        long acceptThreadsBefore = rmiAcceptThreads();
        HostpubRuntime a = machine.start("solo");
        assertThat(a.role()).isEqualTo(Role.SUPERVISOR);
        assertThat(threadNames()).anyMatch(t -> t.startsWith("hostpub-solo-"));
        // its registry and its admin object listen on their own ports
        assertThat(rmiAcceptThreads()).isGreaterThanOrEqualTo(acceptThreadsBefore + 2);
        a.close();
        await().untilAsserted(() -> assertThat(threadNames()).noneMatch(t -> t.startsWith("hostpub-solo-")));
        // the JDK keeps listeners exported on port 0 after unexport; the runtime closes them itself
        await().untilAsserted(() -> assertThat(rmiAcceptThreads()).isEqualTo(acceptThreadsBefore));
        // the port is free again: a new runtime wins it
        HostpubRuntime b = machine.start("next");
        assertThat(b.role()).isEqualTo(Role.SUPERVISOR);
    }

    /**
     * Issue 14: an idle subordinate carries one thread of its own, the link's reader (its role thread). The work and
     * probe executors keep a thread only while they have something to do, and its warm-standby rehearsal ends.
     */
    @Test
    void anIdleSubordinateRunsOnlyItsLinkReader() {
        machine.start("boss");
        HostpubRuntime idle = machine.start("idle");
        assertThat(idle.role()).isEqualTo(Role.SUBORDINATE);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(threadNames())
                .filteredOn(t -> t.startsWith("hostpub-idle-")).containsExactly("hostpub-idle-election"));
    }

    @Test
    void secondGuardedRuntimeInOneJvmFailsClearly() {
        HostpubRuntime first = HostpubRuntime.builder(machine.config("guarded-1")).start();
        try {
            assertThatThrownBy(() -> HostpubRuntime.builder(machine.config("guarded-2")).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already running in this JVM");
        } finally {
            first.close();
        }
        HostpubRuntime again = HostpubRuntime.builder(machine.config("guarded-3")).start();
        again.close();
    }

    private static long rmiAcceptThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("RMI TCP Accept-0"))
                .count();
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }

    private static Set<String> union(Set<String> names, String extra) {
        var all = new java.util.HashSet<>(names);
        all.add(extra);
        return all;
    }
}
