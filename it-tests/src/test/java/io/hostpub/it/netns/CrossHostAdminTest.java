package io.hostpub.it.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.testing.Containers;
import io.hostpub.testing.TestBed;
import io.hostpub.testing.TestMachine;
import io.hostpub.testing.TestPasswords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Administration across hosts (seed 000: "the administrator first selects a machine"), on a test bed of separate
 * network stacks: machines a and b each run two clones that race for their own port 30099; the operator's host runs
 * the shipped {@code hpctl} against each machine by its address, with the installation's secret copied, as the
 * configuration page tells operators. A failover on one machine leaves the other untouched; a partitioned or crashed
 * machine is an exit code 3 naming it within 20 s, never a hang; a foreign secret is exit code 4. Throughout, a
 * {@link MachineTimeline} checks every machine's registry and license tally against its live instances five times a
 * second, one second after each event.
 */
class CrossHostAdminTest {

    static final Duration BOUND = Duration.ofSeconds(20);
    static final String PASSWORD = "cross-host-" + ProcessHandle.current().pid();

    @TempDir
    Path home;

    TestBed bed;
    final List<TestMachine> machines = new ArrayList<>();
    MachineTimeline timeline;

    @BeforeEach
    void setUp() {
        Object made = TestBed.tryCreate("a", "b", "op");
        Assumptions.assumeTrue(made instanceof TestBed, () -> "no test bed of network namespaces here: " + made);
        bed = (TestBed) made;
    }

    @AfterEach
    void tearDown() {
        if (timeline != null) {
            timeline.close();
        }
        machines.forEach(TestMachine::close);
        if (bed != null) {
            bed.close();
        }
    }

    /** An installation home on {@code host}: the shared secret copied in, bound to the machine's own address. */
    private Path installationHome(String host, Path secret) throws Exception {
        Path conf = Files.createDirectories(home.resolve(host).resolve("conf"));
        Files.copy(secret, conf.resolve("secret"), StandardCopyOption.COPY_ATTRIBUTES);
        return home.resolve(host);
    }

    private TestMachine machine(String host, Path secret) throws Exception {
        TestMachine machine = TestMachine.on(bed.host(host), installationHome(host, secret),
                "<hostpub><bindAddress>" + bed.host(host).address() + "</bindAddress><licenseLimit>10</licenseLimit>"
                        + "</hostpub>");
        machines.add(machine);
        return machine;
    }

    private OnHost.Result hpctl(String host, Path installation, String... args) throws Exception {
        return OnHost.hpctl(bed.host(host), installation, args);
    }

    private OnHost.Result curl(String host, String url, String... more) throws Exception {
        return OnHost.curl(bed.host(host), "admin:" + PASSWORD, url, more);
    }

    /**
     * The invariants of one machine, on a view taken right after an event (the first one that shows it): the registry
     * lists exactly the instances alive on the machine, each with its process's pid, and the supervisor's license
     * tally is the sum of what they hold (a dead member's units are not counted, none is lost).
     */
    private static void assertConsistent(JsonNode view, TestMachine machine, String when) {
        Map<String, Long> listed = new java.util.TreeMap<>();
        int held = 0;
        for (JsonNode instance : view.get("instances")) {
            listed.put(instance.get("name").asText(), instance.get("pid").asLong());
            held += instance.get("licensesInUse").asInt();
        }
        Map<String, Long> alive = new java.util.TreeMap<>();
        machine.live().forEach(clone -> alive.put(clone.name(), clone.pid()));
        assertThat(listed).as("%s: the registry is the live instances (%s)", when, view).isEqualTo(alive);
        assertThat(view.get("licenses").get("inUse").asInt()).as("%s: the license tally is the sum of the holdings (%s)",
                when, view).isEqualTo(held);
    }

    private static boolean everyHolds(JsonNode view, int units) {
        for (JsonNode instance : view.get("instances")) {
            if (instance.get("licensesInUse").asInt() != units) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> names(JsonNode view) {
        Set<String> names = new TreeSet<>();
        view.get("instances").forEach(i -> names.add(i.get("name").asText()));
        return names;
    }

    @Test
    void eachMachineIsAdministeredFromTheOperatorsHostAndALostOneIsABoundedClearError() throws Exception {
        Path secret = home.resolve("secret");
        InstallationSecret.loadOrCreate(secret);
        TestMachine a = machine("a", secret);
        TestMachine b = machine("b", secret);
        Path operator = installationHome("op", secret);
        String addressA = bed.host("a").address();
        String addressB = bed.host("b").address();
        for (String name : List.of("a1", "a2")) {
            a.startRuntime(name, 1);
        }
        for (String name : List.of("b1", "b2")) {
            b.startRuntime(name, 1);
        }
        timeline = MachineTimeline.watch(bed.host("op"), secret, Map.of(addressA, a, addressB, b));

        // both machines raced for port 30099, each in its own port space, and each has its own supervisor
        // started = every instance listed and holding its pool's unit; a view is not one atomic read (the tally first,
        // then each instance), so the check takes a fresh one once nothing moves any more
        awaitView(() -> hpctl("op", operator, "instances", "--machine", addressA, "--json"),
                v -> names(v).equals(Set.of("a1", "a2")) && everyHolds(v, 1));
        awaitView(() -> hpctl("op", operator, "instances", "--machine", addressB, "--json"),
                v -> names(v).equals(Set.of("b1", "b2")) && everyHolds(v, 1));
        JsonNode viewA = hpctl("op", operator, "instances", "--machine", addressA, "--json").json();
        JsonNode viewB = hpctl("op", operator, "instances", "--machine", addressB, "--json").json();
        assertThat(viewA.get("supervisor").asText()).isIn("a1", "a2");
        assertThat(viewB.get("supervisor").asText()).isIn("b1", "b2");
        assertConsistent(viewA, a, "a, started");
        assertConsistent(viewB, b, "b, started");
        // the commands of the site page's section 2, as an operator types them, with a's address for the example's
        List<List<String>> pageCommands = MachinesPage.commands("## 2.");
        assertThat(pageCommands).isNotEmpty();
        for (List<String> command : pageCommands) {
            assertThat(command.get(0)).isEqualTo("hpctl");
            String[] args = command.subList(1, command.size()).stream()
                    .map(arg -> MachinesPage.withAddresses(arg, List.of(addressA))).toArray(String[]::new);
            OnHost.Result result = hpctl("op", operator, args);
            assertThat(result.exit()).as(String.join(" ", command) + ": " + result.err()).isZero();
            assertThat(result.out()).contains("a1");
        }
        String supervisorB = viewB.get("supervisor").asText();
        long supervisorPidB = b.clone(supervisorB).pid();

        // a foreign secret is told apart from a lost machine
        Path stranger = Files.createDirectories(home.resolve("stranger").resolve("conf"));
        InstallationSecret.loadOrCreate(stranger.resolve("secret"));
        OnHost.Result foreign = hpctl("op", home.resolve("stranger"), "instances", "--machine", addressA);
        assertThat(foreign.exit()).as(foreign.err()).isEqualTo(4);

        // a failover on a is seen from the operator's host; b is untouched
        String supervisorA = viewA.get("supervisor").asText();
        timeline.event("kill -9 " + supervisorA + " (a's supervisor)");
        a.clone(supervisorA).kill9();
        String survivor = supervisorA.equals("a1") ? "a2" : "a1";
        JsonNode failedOver = awaitView(() -> hpctl("op", operator, "instances", "--machine", addressA, "--json"),
                v -> v.get("supervisor").asText().equals(survivor));
        assertConsistent(failedOver, a, "a, at the first look after its supervisor's kill -9");
        JsonNode untouched = hpctl("op", operator, "instances", "--machine", addressB, "--json").json();
        assertConsistent(untouched, b, "b, after a's failover");
        assertThat(untouched.get("supervisor").asText()).isEqualTo(supervisorB);
        assertThat(names(untouched)).containsExactly("b1", "b2");
        assertThat(b.clone(supervisorB).pid()).isEqualTo(supervisorPidB);
        assertThat(b.clone(supervisorB).isAlive()).isTrue();

        // a partitioned machine: a bounded, clear answer that names it; the other machine keeps answering
        timeline.down(addressA, "partition a");
        bed.partition(bed.host("a"));
        assertLost(hpctl("op", operator, "instances", "--machine", addressA), addressA, "a partitioned machine");
        assertThat(hpctl("op", operator, "instances", "--machine", addressB).exit()).isZero();
        bed.heal(bed.host("a"));
        timeline.up(addressA, "heal a");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> hpctl("op", operator, "instances", "--machine", addressA).exit() == 0);
        assertConsistent(hpctl("op", operator, "instances", "--machine", addressA, "--json").json(), a,
                "a, healed");

        // a crashed machine: every process of b killed at once
        timeline.down(addressB, "crash b");
        assertThat(bed.crash(bed.host("b"))).isEqualTo(2);
        OnHost.Result crashed = hpctl("op", operator, "instances", "--machine", addressB);
        assertLost(crashed, addressB, "a crashed machine");
        assertThat(crashed.err()).as("refused: asked once more, as for a supervisor failing over")
                .contains("asked twice");
        timeline.assertHeld();
    }

    /**
     * The WAR on a third machine lists and administers the instances of the other two (its API with the machine
     * chosen by address, as the pages do), shows a failover on one at once, and answers a gateway error naming a
     * partitioned machine within the bound. The browser's side is curl on the WAR's own machine.
     */
    @Test
    void theWarOnAThirdMachineAdministersTheOthers() throws Exception {
        Path secret = home.resolve("secret");
        InstallationSecret.loadOrCreate(secret);
        TestMachine a = machine("a", secret);
        TestMachine b = machine("b", secret);
        TestMachine c = TestMachine.on(bed.host("op"), installationHome("op", secret), "<hostpub><bindAddress>"
                + bed.host("op").address() + "</bindAddress>" + TestPasswords.configElement(PASSWORD) + "</hostpub>");
        machines.add(c);
        a.startRuntime("a1", 0);
        a.startRuntime("a2", 0);
        b.startRuntime("b1", 0);
        Containers.ContainerClone war = Containers.start(c, Containers.Distribution.JETTY_12);
        String addressA = bed.host("a").address();
        String addressB = bed.host("b").address();
        String api = war.url("/hpadmin/api/instances?machine=");
        timeline = MachineTimeline.watch(bed.host("op"), secret, Map.of(addressA, a, addressB, b));

        JsonNode viewA = awaitView(() -> curl("op", api + addressA), v -> names(v).equals(Set.of("a1", "a2")));
        JsonNode viewB = awaitView(() -> curl("op", api + addressB), v -> names(v).equals(Set.of("b1")));
        assertThat(viewB.get("supervisor").asText()).isEqualTo("b1");
        OnHost.Result page = curl("op", war.url("/hpadmin/?machine=" + addressB));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.out()).contains("b1").contains(addressB);

        // administer: shut down one of a's clones from c
        String token = curl("op", war.url("/hpadmin/api/csrf")).json().get("token").asText();
        String victim = viewA.get("supervisor").asText().equals("a1") ? "a2" : "a1";
        timeline.event("shutdown of " + victim + " asked from c's WAR");
        OnHost.Result shutdown = curl("op", war.url("/hpadmin/api/instances/" + victim + "/shutdown?confirm=yes&machine="
                + addressA),
                "-X", "POST", "-H", "X-CSRF-Token: " + token);
        assertThat(shutdown.status()).as(shutdown.out()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> !a.clone(victim).isAlive());

        // a failover on a, as c sees it
        String first = viewA.get("supervisor").asText();
        timeline.event("start a3");
        a.startRuntime("a3", 0);
        awaitView(() -> curl("op", api + addressA), v -> names(v).equals(Set.of(first, "a3")));
        timeline.event("kill -9 " + first + " (a's supervisor)");
        long killed = System.nanoTime();
        a.clone(first).kill9();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> curl("op", api + addressA).json(), v -> v.get("supervisor").asText().equals("a3")
                        && names(v).equals(Set.of("a3")));
        System.out.printf("[testbed] kill -9 of a's supervisor -> c's WAR shows the new one: %d ms%n",
                (System.nanoTime() - killed) / 1_000_000);

        // a partitioned machine: a gateway error naming it, within the bound
        timeline.down(addressA, "partition a");
        bed.partition(bed.host("a"));
        OnHost.Result cut = curl("op", api + addressA);
        assertThat(cut.status()).as(cut.out()).isBetween(502, 504);
        assertThat(cut.json().get("error").asText()).contains(addressA);
        assertThat(cut.took()).isLessThan(BOUND);
        System.out.printf("[testbed] the WAR's API for a partitioned machine: %d after %d ms: %s%n", cut.status(),
                cut.took().toMillis(), cut.out().strip());
        assertThat(curl("op", api + addressB).status()).isEqualTo(200);
        timeline.assertHeld();
    }

    /** Asks until the machine's view (JSON) is {@code ready}: 90 s at most, twice a second. */
    private static JsonNode awaitView(java.util.concurrent.Callable<OnHost.Result> ask,
            java.util.function.Predicate<JsonNode> ready) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> ask.call().json(), ready::test);
    }

    /** Exit code 3 within the bound, naming the machine; the figure printed for the closing note. */
    private static void assertLost(OnHost.Result result, String address, String what) {
        assertThat(result.exit()).as(result.err()).isEqualTo(3);
        assertThat(result.err()).contains(address);
        assertThat(result.took()).isLessThan(BOUND);
        System.out.printf("[testbed] hpctl instances of %s: exit %d after %d ms: %s%n", what, result.exit(),
                result.took().toMillis(), result.err().strip());
    }
}
