package io.hostpub.it.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostpub.admin.api.wire.InstallationSecret;
import io.hostpub.testing.CloneProcess;
import io.hostpub.testing.FreePorts;
import io.hostpub.testing.TestBed;
import io.hostpub.testing.TestMachine;
import io.hostpub.testing.ZooKeeperEnsemble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervision hierarchy across hosts (seed 003), from the shipped artifacts: machines a, b, c of a test bed each
 * run a ZooKeeper server of one ensemble and the host agent of their node ({@code hpctl agent}); agents start their
 * coordinators on other machines through the plan's launcher (the test bed's ssh running the shipped
 * {@code dist/bin/hpctl-detached} there); local/l1 watches a and b, local/l2 watches c, group/g1 watches both. The
 * operator looks from a fourth machine with {@code hpctl cluster}; the web application's members are Jetty clones
 * serving HostPublisher.war, asked over HTTP from that machine. Then machine b is lost (its link down, then every
 * process killed): its web member is placed on a and serves HTTP there, with the ensemble still in quorum, each step
 * of the way measured from its own evidence ({@code lossChain}); when b returns, no job runs twice. Or b is only
 * partitioned (see the second test).
 *
 * <p>Every machine keeps the installation at the same path (as /srv/hostpub on real hosts); the test bed's machines
 * share one file system, so that is one directory here, except its {@code wars/}: each machine sees a directory of its
 * own there (a bind mount in a mount namespace of its processes), so a WAR version reaches another machine only over
 * the cluster wire (the first test ends with a rollout run on c). Processes of b may write elsewhere in the
 * installation after b is cut off: a real host's disk would be its own, which this does not model.
 */
class ClusterAcrossHostsTest {

    /** How long the network stays slow in the first test (15 s by default, 60 s with -Pchaos). */
    static final int SLOW_NETWORK_SECONDS = Integer.getInteger("hostpub.it.slowNetworkSeconds", 15);
    static final String MARKER = String.valueOf(9_000_000 + ProcessHandle.current().pid() % 1_000_000);
    /** The web application's first member's HTTP port (in every machine's own port space). */
    static final int WEB_PORT = 8081;
    /** Each figure this JVM's runs measured (ms), by what it measures: the benchmark's rows. */
    static final Map<String, List<Long>> FIGURES = new java.util.concurrent.ConcurrentHashMap<>();

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) // a failure keeps every process log
    Path home;

    TestBed bed;
    final List<TestMachine> machines = new ArrayList<>();
    ZooKeeperEnsemble ensemble;
    ClusterTimeline timeline;

    @BeforeEach
    void setUp() {
        Object made = TestBed.tryCreate("a", "b", "c", "op");
        Assumptions.assumeTrue(made instanceof TestBed, () -> "no test bed of network namespaces here: " + made);
        bed = (TestBed) made;
    }

    @AfterEach
    void tearDown() {
        if (timeline != null) {
            timeline.close();
        }
        if (ensemble != null) {
            ensemble.close();
        }
        machines.forEach(TestMachine::close);
        if (bed != null) {
            bed.close();
        }
        ProcessHandle.allProcesses().filter(p -> ClusterTimeline.isJob(p, MARKER))
                .forEach(ProcessHandle::destroyForcibly);
    }

    private String address(String host) {
        return bed.host(host).address();
    }

    private JsonNode cluster(Path installation) throws Exception {
        OnHost.Result result = OnHost.hpctl(bed.host("op"), installation, "cluster", "--json");
        assertThat(result.exit()).as(result.err()).isZero();
        return result.json();
    }

    private static Map<String, String> runningJobs(JsonNode report) {
        Map<String, String> jobs = new HashMap<>();
        report.get("agents").forEach(a -> a.get("jobs").forEach(j -> {
            if (j.get("state").asText().equals("RUNNING")) {
                String previous = jobs.put(j.get("spec").get("name").asText(), a.get("node").asText());
                assertThat(previous).as("job " + j.get("spec").get("name").asText() + " runs twice").isNull();
            }
        }));
        return jobs;
    }

    private static boolean everyMonitorActive(JsonNode report) {
        List<String> states = new ArrayList<>();
        report.get("monitors").forEach(m -> states.add(m.get("state").asText()));
        return states.size() == 3 && states.stream().allMatch("ACTIVE"::equals);
    }

    /** {@code hpctl agent} of machine {@code index}'s node, as its service manager would start it there. */
    private void startAgent(int index, String hpctl, Path installation) {
        String node = List.of("a", "b", "c").get(index);
        machines.get(index).track(CloneProcess.launch(machines.get(index), "agent-" + node, List.of(hpctl, "agent",
                "--node", node, "--home", installation.toString()), null));
    }

    private static List<String> agentStates(JsonNode report) {
        List<String> states = new ArrayList<>();
        report.get("agents").forEach(a -> states.add(a.get("state").asText()));
        return states;
    }

    /**
     * The web application's member: a Jetty clone serving HostPublisher.war on the plan's port of the member, on every
     * address of its machine. Its runtime belongs to the clones' installation (one secret, a configured password), so
     * the members a machine runs form its group; the machines share the file system, so that is one home here.
     */
    private List<String> webClone() throws java.io.IOException {
        Path cloneDir = Path.of(System.getProperty("hostpub.it.cloneDir")).toAbsolutePath();
        Path clones = home.resolve("clones").toAbsolutePath();
        Path conf = Files.createDirectories(clones.resolve("web").resolve("conf"));
        InstallationSecret.loadOrCreate(conf.resolve("secret"));
        Files.writeString(conf.resolve("hostpub.xml"), "<hostpub>" + io.hostpub.testing.TestPasswords.configElement(
                "web-password") + "</hostpub>\n");
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx160m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dhostpub.home=" + clones.resolve("web"),
                "-cp", cloneDir.resolve("hp-clone.jar") + java.io.File.pathSeparator + cloneDir.resolve("jetty-lib")
                        + java.io.File.separator + "*", "io.hostpub.clone.JettyClone", "--port", "{port}",
                "--war", io.hostpub.coordinator.api.plan.ClusterPlan.Application.WAR,
                "--work", clones.resolve("web-{member}-work").toString(), "--bind", "0.0.0.0");
    }

    /** The HTTP status of web member {@code member}'s login page on {@code node}, asked from the operator's host. */
    private int webStatus(String node, int member) throws Exception {
        return webStatus("op", node, member);
    }

    /** As {@link #webStatus(String, int)}, asked from machine {@code from}. */
    private int webStatus(String from, String node, int member) throws Exception {
        Process curl = new ProcessBuilder(bed.host(from).command(List.of("curl", "-s", "-o", "/dev/null", "-m", "2",
                "-w", "%{http_code}", "http://" + address(node) + ":" + (WEB_PORT + member - 1)
                        + "/HostPublisher/hpadmin/login"))).redirectErrorStream(true).start();
        String status = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(curl.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return Integer.parseInt(status.strip());
    }

    /**
     * The steps from a machine's loss to its job serving elsewhere, each from its own evidence: local/l1's log lines
     * (its agent DOWN, the job placed), the new process's start time, the first HTTP answer. The bound,
     * serving within container start + 2 s of the verdict, is "placed -> process started" <= 2 s; reported, not
     * asserted (a figure, not a timed assertion).
     */
    private void lossChain(Path logs, String job, java.time.Instant lostAt, java.time.Instant servingAt) {
        java.time.Instant down = loggedAfter(logs, "local/l1", "child b: DOWN", lostAt);
        java.time.Instant placed = loggedAfter(logs, "local/l1", "placed job " + job + " on node a", lostAt);
        java.time.Instant started = ClusterTimeline.job(MARKER, job, "a").flatMap(p -> p.info().startInstant())
                .orElse(null);
        if (down == null || placed == null || started == null) {
            System.out.printf("[testbed] loss chain incomplete: DOWN %s, placed %s, started %s%n", down, placed,
                    started);
            return;
        }
        figureMs("machine crash -> its agent DOWN (missed polls)", Duration.between(lostAt, down), "local/l1's log");
        figureMs("agent DOWN -> job placed elsewhere (two restarts' grace)", Duration.between(down, placed), job);
        figureMs("job placed -> its process started", Duration.between(placed, started), "the bound: <= 2,000 ms");
        figureMs("job process started -> serving HTTP (container start)", Duration.between(started, servingAt),
                "Jetty clone with HostPublisher.war");
    }

    /** The time stamp of the first line of a coordinator's log since {@code after} containing {@code text}, or null. */
    private static java.time.Instant loggedAfter(Path logs, String position, String text, java.time.Instant after) {
        return log(logs, "monitor", position).lines().filter(l -> l.contains(text))
                .map(l -> java.time.Instant.parse(l.substring(0, l.indexOf(' ')))).filter(at -> at.isAfter(after))
                .findFirst().orElse(null);
    }

    /** The cluster of both tests, started and steady: its installation path, and the report once steady. */
    private record Hierarchy(Path installation, String hpctl, JsonNode steady) {
    }

    private Hierarchy startHierarchy() throws Exception {
        // each machine's WAR versions on a disk of its own, at the installation's path, as on real hosts
        bed.giveEachMachineItsOwn(home.resolve("installation").resolve("wars"));
        for (String host : List.of("a", "b", "c")) {
            machines.add(TestMachine.on(bed.host(host), home.resolve("machine-" + host), null));
        }
        // the zoo.cfg of the site page, with each machine's address and data directory
        String zooCfg = MachinesPage.blocks("## 3.", "properties").get(0);
        List<String> addresses = List.of(address("a"), address("b"), address("c"));
        ensemble = ZooKeeperEnsemble.start(machines, (server, data) -> MachinesPage.withAddresses(zooCfg.replace(
                "clientPortAddress=" + MachinesPage.EXAMPLE_ADDRESSES.get(0), "clientPortAddress="
                        + MachinesPage.EXAMPLE_ADDRESSES.get(server)), addresses)
                .replace("dataDir=/var/lib/zookeeper", "dataDir=" + data).lines().toList());

        Path installation = Files.createDirectories(home.resolve("installation").resolve("conf")).getParent();
        InstallationSecret.loadOrCreate(installation.resolve("conf").resolve("secret"));
        Path ssh = bed.writeLauncher(home.resolve("testbed-ssh"));
        String hpctl = Path.of("..", "hpctl").toAbsolutePath().normalize().toString();
        // the shipped wrapper a launcher runs on the target machine: hpctl in its own session, output to its log
        String detached = Path.of("..", "dist", "bin", "hpctl-detached").toAbsolutePath().normalize().toString();
        // the plan of the site page, with the test's addresses, ports and ZooKeeper base; the test's own
        // applications (web: Jetty clones serving HostPublisher.war; api: a sleep; both marked in their environment)
        // and the test bed's ssh running the shipped hpctl-detached
        com.fasterxml.jackson.databind.node.ObjectNode plan = (com.fasterxml.jackson.databind.node.ObjectNode)
                OnHost.JSON.readTree(MachinesPage.withAddresses(MachinesPage.blocks("## 3.", "json").get(0),
                        addresses));
        plan.put("agentPort", FreePorts.next()).put("monitorPort", FreePorts.next());
        ((com.fasterxml.jackson.databind.node.ObjectNode) plan.get("store")).put("base", "/hostpub-bed");
        plan.set("applications", OnHost.JSON.readTree("""
                [{"name": "web", "count": 2, "member": "clone", "command": %s, "httpPort": %d, "monitor": "local/l1",
                  "environment": {"%s": "%s"}, "war": %s},
                 {"name": "api", "count": 1, "member": "clone", "command": ["sleep", "%s"], "monitor": "local/l2",
                  "environment": {"%s": "%s"}}]
                """.formatted(OnHost.JSON.writeValueAsString(webClone()), WEB_PORT, ClusterTimeline.MARKER_VARIABLE,
                MARKER, OnHost.JSON.writeValueAsString(Path.of(System.getProperty("hostpub.it.war")).toAbsolutePath()
                        .toString()), MARKER, ClusterTimeline.MARKER_VARIABLE, MARKER)));
        plan.set("launcher", OnHost.JSON.valueToTree(List.of(ssh.toString(), "{address}", "env", "HPCTL=" + hpctl,
                detached)));
        assertThat(plan.get("store").get("connect").asText()).isEqualTo(ensemble.connectString());
        Files.writeString(installation.resolve("conf").resolve("cluster.json"), plan.toPrettyString());
        for (int i = 0; i < 3; i++) {
            startAgent(i, hpctl, installation);
        }

        JsonNode steady = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> cluster(installation),
                        r -> everyMonitorActive(r) && runningJobs(r).size() == 3);
        Map<String, String> placed = runningJobs(steady);
        // the web members are Jetty clones: each answers HTTP on its machine's address
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> webStatus(placed.get("web/clone-1"), 1) == 200 && webStatus(placed.get("web/clone-2"), 2)
                        == 200);
        assertThat(placed.get("api/clone-1")).isEqualTo("c");
        assertThat(List.of(placed.get("web/clone-1"), placed.get("web/clone-2"))).containsExactlyInAnyOrder("a", "b");
        assertThat(steady.get("store").asText()).contains(ensemble.connectString());
        // each coordinator was started on its machine through the launcher: it listens on that machine's address
        steady.get("monitors").forEach(m -> assertThat(m.get("endpoint").asText())
                .startsWith(address(m.get("node").asText()) + ":"));
        timeline = ClusterTimeline.watch(MARKER, installation);
        timeline.settled("the hierarchy is steady");
        return new Hierarchy(installation, hpctl, steady);
    }

    @Test
    void theHierarchySpansMachinesOnAZooKeeperEnsembleAndALostMachinesJobMovesOnce() throws Exception {
        Hierarchy hierarchy = startHierarchy();
        Path installation = hierarchy.installation();
        String hpctl = hierarchy.hpctl();
        Map<String, String> placed = runningJobs(hierarchy.steady());
        String lostJob = placed.entrySet().stream().filter(e -> e.getValue().equals("b")).findFirst().orElseThrow()
                .getKey();
        slowNetworkChangesNothing(installation, placed);

        // machine b is lost: cut off, then everything on it dies (so nothing can start there again)
        long lost = System.nanoTime();
        java.time.Instant lostAt = java.time.Instant.now();
        timeline.disturbed("machine b is cut off and crashes");
        bed.lose(bed.host("b"));
        int member = Integer.parseInt(lostJob.substring(lostJob.lastIndexOf('-') + 1));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> webStatus("a", member) == 200);
        java.time.Instant servingAt = java.time.Instant.now();
        figure("machine crash -> its job serving HTTP elsewhere", lost, lostJob + " on a");
        JsonNode moved = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> cluster(installation),
                        r -> "a".equals(runningJobs(r).get(lostJob)) && runningJobs(r).size() == 3);
        figure("machine crash -> its job running elsewhere", lost, lostJob + " on a; ZooKeeper " + ensemble.modes());
        lossChain(installation.resolve("logs"), lostJob, lostAt, servingAt);
        assertThat(runningJobs(moved)).containsEntry("api/clone-1", "c");
        timeline.settled(lostJob + " runs on a");

        // b comes back: its ZooKeeper server and its agent start again; no job runs twice
        timeline.disturbed("machine b returns");
        bed.heal(bed.host("b"));
        ensemble.start(1);
        startAgent(1, hpctl, installation);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> cluster(installation), r -> everyMonitorActive(r) && runningJobs(r).size() == 3
                        && agentStates(r).equals(List.of("RUNNING", "RUNNING", "RUNNING")));
        assertThat(ensemble.modes()).allMatch(m -> m.equals("leader") || m.equals("follower"));
        timeline.settled("b is back, every job once");
        holdsForFourCycles();
        // b's returning agent restarts the job its records still hold (it cannot know the job moved: its records
        // are its own, under its fence); its coordinator stops that duplicate in its next cycle, which the
        // timeline's settled invariant checks. No other job starts again.
        assertThat(timeline.jobStarts()).as("only the lost job was started again").allSatisfy((job, started) -> {
            if (job.equals(lostJob)) {
                assertThat(started).isBetween(2, 3);
            } else {
                assertThat(started).isEqualTo(1);
            }
        });
        rolloutFromAnotherMachine(installation);
    }

    /**
     * {@code hpctl rollout} of a new HostPublisher.war run on machine c, which runs no web member: c keeps the version
     * on its own disk, and every node that runs a web member fetches it from c's agent before starting the member
     * with its own copy (each machine's {@code wars/} is its own here). Every member serves again, on version 0001.
     */
    private void rolloutFromAnotherMachine(Path installation) throws Exception {
        timeline.disturbed("rollout of web, its new version kept on c");
        Path war = home.resolve("HostPublisher-2.war");
        java.nio.file.Files.copy(Path.of(System.getProperty("hostpub.it.war")), war);
        try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(war)) {
            java.nio.file.Files.writeString(zip.getPath("rollout.txt"), "version 2 of " + MARKER + "\n");
        }
        long began = System.nanoTime();
        OnHost.Result rollout = OnHost.hpctl(bed.host("c"), installation, "rollout", "web", "--war", war.toString(),
                "--wait", "50");
        JsonNode done = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> cluster(installation), r -> Set.of("COMPLETED", "ROLLED_BACK")
                        .contains(r.get("rollouts").get(0).get("phase").asText()));
        assertThat(done.get("rollouts").get(0).get("phase").asText()).as("%s%n%s", rollout, done.get("rollouts"))
                .isEqualTo("COMPLETED");
        figure("rollout across machines: 2 members replaced, the version fetched from c", began, "hpctl: "
                + rollout.out().lines().reduce((first, last) -> last).orElse(""));
        Map<String, String> placed = runningJobs(done);
        for (String member : List.of("web/clone-1", "web/clone-2")) {
            assertThat(runningVersion(done, member)).as(member).isEqualTo("0001");
            String node = placed.get(member);
            Path copy = bed.host(node).own().resolve("web").resolve("web##0001.war");
            assertThat(copy).as("%s's copy on %s, fetched from c", member, node).hasSameBinaryContentAs(war);
            int port = Integer.parseInt(member.substring(member.lastIndexOf('-') + 1));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> webStatus(node, port) == 200);
        }
        assertThat(bed.host("c").own().resolve("web").resolve("web##0001.war")).as("kept where hpctl ran")
                .hasSameBinaryContentAs(war);
        assertThat(rollout.err()).as("c is a node").doesNotContain("warning");
        timeline.settled("every web member serves version 0001");

        // from the operator's machine, no node: nobody can pass its version on, the first member fails, it rolls back
        timeline.disturbed("rollout of web from the operator's machine");
        try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(war)) {
            java.nio.file.Files.writeString(zip.getPath("rollout.txt"), "version 3 of " + MARKER + "\n");
        }
        OnHost.Result offNode = OnHost.hpctl(bed.host("op"), installation, "rollout", "web", "--war", war.toString(),
                "--step-timeout", "5", "--wait", "0");
        assertThat(offNode.err()).contains("warning: this machine is no node of the plan");
        JsonNode back = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> cluster(installation), r -> "ROLLED_BACK".equals(r.get("rollouts")
                        .get(0).get("phase").asText()) && runningJobs(r).size() == 3
                        && "0001".equals(runningVersion(r, "web/clone-1"))
                        && "0001".equals(runningVersion(r, "web/clone-2")));
        assertThat(back.get("rollouts").get(0).get("to").get("label").asText()).isEqualTo("0002");
        timeline.settled("rolled back: every web member on version 0001 again");
    }

    /** The version job {@code name} runs, null while it does not run. */
    private static String runningVersion(JsonNode report, String name) {
        for (JsonNode agent : report.get("agents")) {
            for (JsonNode job : agent.get("jobs")) {
                if (job.get("spec").get("name").asText().equals(name) && job.get("state").asText().equals("RUNNING")) {
                    return job.get("spec").get("version").asText();
                }
            }
        }
        return null;
    }


    /**
     * A partition, not a crash: the machine running local/l1's coordinator is cut off with everything on it alive.
     * The majority starts a successor (a higher fencing epoch) and places the cut-off machine's job on the other node;
     * the old coordinator cannot write (its ZooKeeper server is in the minority). After healing, the old coordinator
     * has gone (superseded), one coordinator per position is active, and every job runs exactly once: once as the
     * agents report it, and once as processes on the host.
     */
    @Test
    void aPartitionedCoordinatorStopsActingAndAfterHealingEveryJobRunsOnce() throws Exception {
        Hierarchy hierarchy = startHierarchy();
        Path installation = hierarchy.installation();
        JsonNode local = monitor(hierarchy.steady(), "local/l1");
        String cut = local.get("node").asText();
        String other = cut.equals("a") ? "b" : "a";
        long oldPid = local.get("pid").asLong();
        long oldEpoch = local.get("epoch").asLong();
        String cutJob = runningJobs(hierarchy.steady()).entrySet().stream().filter(e -> e.getValue().equals(cut))
                .findFirst().orElseThrow().getKey();

        long partitioned = System.nanoTime();
        java.time.Instant partitionedAt = java.time.Instant.now();
        timeline.disturbed(cut + " is cut off with local/l1's coordinator");
        bed.partition(bed.host(cut));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> cluster(installation), r -> monitor(r, "local/l1").get("state").asText().equals("ACTIVE")
                        && monitor(r, "local/l1").get("epoch").asLong() > oldEpoch
                        && other.equals(runningJobs(r).get(cutJob)));
        figure("partition -> majority's successor active, job placed", partitioned, cut + " cut off, " + cutJob
                + " on " + other);
        // both copies serve, each on its side: the cut-off machine's member to whoever still reaches it there, the
        // placed one to the majority (the cut-off coordinator cannot stop either)
        int cutMember = Integer.parseInt(cutJob.substring(cutJob.lastIndexOf('-') + 1));
        assertThat(webStatus(cut, cut, cutMember)).as("the cut-off member still serves on " + cut).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> webStatus(other, cutMember) == 200);
        // the cut-off coordinator stopped acting: its ZooKeeper server is in the minority, so it cannot confirm its fence
        Path logs = installation.resolve("logs");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> log(logs, "monitor",
                "local/l1").contains("PASSIVE, the store cannot confirm its fence (epoch " + oldEpoch + ")"));
        // when it went PASSIVE, by its own log line (the wait above came after the successor's)
        String passive = log(logs, "monitor", "local/l1").lines().filter(l -> l.contains("PASSIVE, the store cannot"
                + " confirm its fence (epoch " + oldEpoch + ")")).findFirst().orElseThrow();
        long passiveMs = Duration.between(partitionedAt, java.time.Instant.parse(passive.substring(0,
                passive.indexOf(' ')))).toMillis();
        figure("partition -> minority coordinator stops acting", System.nanoTime() - passiveMs * 1_000_000,
                "by its log line");

        bed.heal(bed.host(cut));
        long healed = System.nanoTime();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> cluster(installation), r -> everyMonitorActive(r) && runningJobs(r).size() == 3
                        && agentStates(r).equals(List.of("RUNNING", "RUNNING", "RUNNING"))
                        && ProcessHandle.of(oldPid).map(p -> !p.isAlive()).orElse(true) && jobProcesses() == 3);
        figure("heal -> converged", healed, "one coordinator per position, every job once");
        timeline.settled("healed and converged");
        holdsForFourCycles();
        assertThat(timeline.jobStarts()).as("only the cut-off machine's job was started again")
                .allSatisfy((job, started) -> assertThat(started).isEqualTo(job.equals(cutJob) ? 2 : 1));
    }

    /**
     * The ensemble loses one server, then its quorum, then gets it back. One server down: nothing stops (the same
     * coordinators stay active, no job restarts). No quorum: every coordinator goes PASSIVE, since it cannot confirm
     * its fence, and restarts nothing: c's agent, killed meanwhile, stays down, while every job keeps running and
     * {@code hpctl cluster} still answers with the agents and their jobs. Quorum back: the same coordinators are ACTIVE
     * again, c's agent is restarted once and adopts its job, no job process is replaced. About 100 s: in the long run
     * ({@code -Pchaos}); the default run has the store's side of it ({@code ZooKeeperClusterTest}) and one server's
     * loss with its machine (the first test).
     */
    @Test
    @org.junit.jupiter.api.Tag("long")
    void withoutAZooKeeperQuorumCoordinatorsStopActingAndAgentsKeepTheirJobs() throws Exception {
        Hierarchy hierarchy = startHierarchy();
        Path installation = hierarchy.installation();
        Map<String, Long> coordinators = monitorPids(hierarchy.steady());
        Set<Long> jobs = jobProcessIds();
        assertThat(jobs).hasSize(3);

        timeline.disturbed("ZooKeeper server 1 killed");
        ensemble.kill(0);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> cluster(installation), r -> everyMonitorActive(r)
                        && monitorPids(r).equals(coordinators) && runningJobs(r).size() == 3);
        assertThat(jobProcessIds()).as("one server down: no job restarted").isEqualTo(jobs);
        timeline.settled("one server down, nothing stopped");

        timeline.disturbed("ZooKeeper server 2 killed: no quorum");
        ensemble.kill(1);
        long lost = System.nanoTime();
        Path logs = installation.resolve("logs");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> coordinators.keySet()
                .stream().allMatch(position -> log(logs, "monitor", position).contains("PASSIVE, the store cannot"
                        + " confirm its fence")));
        figure("ZooKeeper quorum lost -> every coordinator stops acting", lost, "");

        long agentC = agent(hierarchy.steady(), "c").get("pid").asLong();
        ProcessHandle.of(agentC).ifPresent(ProcessHandle::destroyForcibly);
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> agentProcesses(installation, "c") == 0 && jobProcessIds().equals(jobs));
        JsonNode blind = cluster(installation);
        blind.get("monitors").forEach(m -> {
            assertThat(m.get("state").asText()).isEqualTo("UNKNOWN");
            assertThat(m.get("storeProblem").asText()).contains("quorum");
        });
        assertThat(agentStates(blind)).containsExactly("RUNNING", "RUNNING", "DOWN");
        assertThat(runningJobs(blind)).hasSize(2);

        timeline.disturbed("ZooKeeper servers 1 and 2 start again");
        ensemble.start(0);
        ensemble.start(1);
        long back = System.nanoTime();
        JsonNode settled = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> cluster(installation), r -> everyMonitorActive(r)
                        && agentStates(r).equals(List.of("RUNNING", "RUNNING", "RUNNING"))
                        && runningJobs(r).size() == 3);
        figure("ZooKeeper quorum back -> every coordinator active", back, "c's agent restarted");
        assertThat(monitorPids(settled)).as("no coordinator restarted").isEqualTo(coordinators);
        assertThat(jobProcessIds()).as("no job restarted: c's new agent adopted its job").isEqualTo(jobs);
        assertThat(log(logs, "agent", "c").lines().filter(l -> l.contains("agent c: running at")).count())
                .as("c's agent restarted once, by its coordinator").isEqualTo(1);
        timeline.settled("quorum back");
        holdsForFourCycles();
        assertThat(timeline.jobStarts()).as("no job started again").allSatisfy((job, started) ->
                assertThat(started).isEqualTo(1));
    }

    /**
     * 50 ms more each way between the machines and 1 % of the frames lost (what {@code netem delay 50ms loss 1%} on
     * each link adds), for {@link #SLOW_NETWORK_SECONDS}: no false failover. Every report asked meanwhile (from the
     * operator's host, across the slow network too) shows the same coordinators, all ACTIVE, the same agents, RUNNING,
     * and the same jobs where they were; and the timeline sees no job started again.
     */
    private void slowNetworkChangesNothing(Path installation, Map<String, String> placed) throws Exception {
        JsonNode before = cluster(installation);
        int reports = 0;
        int missing = 0;
        long slowest = 0;
        try (AutoCloseable slow = bed.slowDown(Duration.ofMillis(50), 1.0)) {
            long end = System.nanoTime() + Duration.ofSeconds(SLOW_NETWORK_SECONDS).toNanos();
            while (System.nanoTime() < end) {
                long asked = System.nanoTime();
                JsonNode now = cluster(installation);
                slowest = Math.max(slowest, (System.nanoTime() - asked) / 1_000_000);
                reports++;
                assertThat(monitorPids(now)).as("coordinators on a slow network: %s", now.get("monitors")).isEqualTo(monitorPids(before));
                assertThat(everyMonitorActive(now)).as("every coordinator ACTIVE: %s", now.get("monitors")).isTrue();
                assertThat(agentPids(now)).as("agents on a slow network").isEqualTo(agentPids(before));
                assertThat(agentStates(now)).containsOnly("RUNNING");
                assertThat(runningJobs(now)).as("jobs on a slow network").isEqualTo(placed);
                for (JsonNode monitor : now.get("monitors")) {
                    for (JsonNode child : monitor.get("children")) {
                        assertThat(child.get("state").asText()).as("%s's child %s", monitor.get("position"),
                                child.get("name")).isNotEqualTo("DOWN");
                        missing += child.get("state").asText().equals("MISSING") ? 1 : 0;
                    }
                }
                timeline.assertHeld();
            }
        }
        assertThat(timeline.jobStarts()).as("no job started again").allSatisfy((job, started) -> assertThat(started)
                .isEqualTo(1));
        System.out.printf("[testbed] slow network (50 ms each way, 1 %% loss) for %d s: %d reports, no failover; "
                + "slowest hpctl cluster %d ms; a child seen MISSING (a poll lost, not a verdict) %d times%n",
                SLOW_NETWORK_SECONDS, reports, slowest, missing);
    }

    private static Map<String, Long> agentPids(JsonNode report) {
        Map<String, Long> pids = new HashMap<>();
        report.get("agents").forEach(a -> pids.put(a.get("node").asText(), a.get("pid").asLong()));
        return pids;
    }

    /** The invariants hold over four more poll cycles; any violation fails with the timeline. */
    private void holdsForFourCycles() {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(timeline::oneCoordinatorPerPosition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the coordinators did not come down to one per position\n" + timeline, e);
        }
        try {
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(timeline::holding);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            timeline.assertHeld();
        }
        timeline.assertHeld();
        System.out.println("[testbed] " + timeline);
    }

    private static Map<String, Long> monitorPids(JsonNode report) {
        Map<String, Long> pids = new HashMap<>();
        report.get("monitors").forEach(m -> pids.put(m.get("position").asText(), m.get("pid").asLong()));
        return pids;
    }

    private static JsonNode agent(JsonNode report, String node) {
        for (JsonNode agent : report.get("agents")) {
            if (agent.get("node").asText().equals(node)) {
                return agent;
            }
        }
        throw new AssertionError("no agent " + node + " in " + report);
    }

    /** What the shipped hpctl-detached logged for a position it started (empty if it started none). */
    private static String log(Path logs, String kind, String name) {
        try {
            return Files.readString(logs.resolve("launched-" + kind + "-" + name.replace('/', '-') + ".log"));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** Agent processes of {@code node} of this test's installation alive on the host. */
    private static long agentProcesses(Path installation, String node) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> p.info().arguments()
                .map(List::of).map(a -> a.contains("agent") && a.contains(installation.toString())
                        && a.indexOf("--node") >= 0 && a.indexOf("--node") + 1 < a.size()
                        && a.get(a.indexOf("--node") + 1).equals(node)).orElse(false)).count();
    }

    /** The pids of this test's job processes alive on the host. */
    private static Set<Long> jobProcessIds() {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> ClusterTimeline.isJob(p, MARKER))
                .map(ProcessHandle::pid)
                .collect(java.util.stream.Collectors.toSet());
    }

    private static void figureMs(String what, Duration took, String detail) {
        FIGURES.computeIfAbsent(what, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(took.toMillis());
        System.out.printf("[testbed] %s: %d ms (%s)%n", what, took.toMillis(), detail);
    }

    /** Prints the figure for the log and keeps it for {@code MachinesBenchmark}. */
    private static void figure(String what, long sinceNanos, String detail) {
        long ms = (System.nanoTime() - sinceNanos) / 1_000_000;
        FIGURES.computeIfAbsent(what, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(ms);
        System.out.printf("[testbed] %s: %d ms%s%n", what, ms, detail.isEmpty() ? "" : " (" + detail + ")");
    }

    private static JsonNode monitor(JsonNode report, String position) {
        for (JsonNode monitor : report.get("monitors")) {
            if (monitor.get("position").asText().equals(position)) {
                return monitor;
            }
        }
        throw new AssertionError("no monitor " + position + " in " + report);
    }

    /** Job processes of this test alive on the host (every machine's: the process table is shared). */
    private static long jobProcesses() {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> ClusterTimeline.isJob(p, MARKER))
                .count();
    }
}
