package io.hostpub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostpub.testing.FreePorts;
import io.hostpub.testing.TestMachine;
import io.hostpub.testing.ZooKeeperProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hpctl agent} and {@code hpctl cluster} from the built launcher script: two nodes on 127.0.0.2/3, the agents
 * start their local coordinator, which places the jobs; {@code kill -9} of a job is repaired by its agent.
 */
class ClusterCliTest {

    static final String MARKER = String.valueOf(8_000_000 + ProcessHandle.current().pid() % 1_000_000);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    final List<Process> agents = new ArrayList<>();

    @AfterEach
    void stop() {
        String homeArg = home.toString();
        ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> List.of(a).contains(homeArg)
                || List.of(a).contains(MARKER)).orElse(false)).forEach(ProcessHandle::destroyForcibly);
        agents.forEach(Process::destroyForcibly);
    }

    record Result(int exit, String out, String err) {
    }

    Result hpctl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of("..", "hpctl").toAbsolutePath().normalize().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOSTPUB_HOME", home.toString());
        builder.environment().remove("HOSTPUB_CONFIG");
        Path out = Files.createTempFile(home, "hpctl", ".out");
        Path err = Files.createTempFile(home, "hpctl", ".err");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }


    /** A journal damaged inside stops every store user with the file and offset; the CLI repairs it on request. */
    @Test
    void aDamagedJournalIsReportedAndRepairedOnRequest() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        io.hostpub.admin.api.wire.InstallationSecret.loadOrCreate(home.resolve("conf").resolve("secret"));
        Files.writeString(home.resolve("conf").resolve("cluster.json"), "{\"pollIntervalMs\": 250, \"agentPort\": "
                + FreePorts.next() + ", \"monitorPort\": " + FreePorts.next()
                + ", \"nodes\": [{\"name\": \"n1\", \"address\": \"127.0.0.2\"}],"
                + " \"monitors\": [{\"position\": \"local/l1\", \"children\": [\"n1\"]}],"
                + " \"applications\": []}\n");
        try (var store = io.hostpub.coordinator.store.JournalStore.open(home.resolve("coordinator"))) {
            var fence = store.acquire("agent/n1", "test");
            for (int i = 0; i < 10; i++) {
                store.put(fence, "jobs/web/clone-" + i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            }
        }
        Path journal = home.resolve("coordinator").resolve("store.journal");
        byte[] bytes = Files.readAllBytes(journal);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(journal, bytes);

        Result refused = hpctl("cluster");
        assertThat(refused.exit()).as(refused.err()).isNotZero();
        assertThat(refused.err()).contains(journal.toString()).contains("damaged at offset").contains("repair-journal");

        Result repaired = hpctl("cluster", "repair-journal");
        assertThat(repaired.exit()).as(repaired.err()).isZero();
        assertThat(repaired.out()).contains("damaged at offset").contains("store.journal.damaged-")
                .contains("fencing epoch of agent/n1 stays above 1");
        Result again = hpctl("cluster", "repair-journal");
        assertThat(again.out()).as(again.err()).contains("intact");
    }

    @Test
    void agentsKeepTheJobsOfThePlanRunningAndClusterShowsTheHierarchy() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf").resolve("cluster.json"), "{\"pollIntervalMs\": 250, \"agentPort\": "
                + FreePorts.next() + ", \"monitorPort\": " + FreePorts.next() + ",\n"
                + " \"nodes\": [{\"name\": \"n1\", \"address\": \"127.0.0.2\"}, {\"name\": \"n2\", \"address\":"
                + " \"127.0.0.3\"}],\n"
                + " \"monitors\": [{\"position\": \"local/l1\", \"children\": [\"n1\", \"n2\"]}],\n"
                + " \"applications\": [{\"name\": \"web\", \"count\": 2, \"member\": \"clone\", \"command\":"
                + " [\"sleep\", \"" + MARKER + "\"], \"monitor\": \"local/l1\"}]}\n");
        for (String node : List.of("n1", "n2")) {
            ProcessBuilder builder = new ProcessBuilder(Path.of("..", "hpctl").toAbsolutePath().normalize()
                    .toString(), "agent", "--node", node);
            builder.environment().put("HOSTPUB_HOME", home.toString());
            agents.add(builder.redirectErrorStream(true).redirectOutput(home.resolve("agent-" + node + ".out")
                    .toFile()).start());
        }
        JsonNode report = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> JSON.readTree(hpctl("cluster", "--json").out()), r -> r.get("monitors").get(0)
                        .get("state").asText().equals("ACTIVE") && runningJobs(r).size() == 2);
        assertThat(report.get("agents")).extracting(a -> a.get("state").asText()).containsOnly("RUNNING");
        assertThat(runningJobs(report)).extracting(j -> j.get("node").asText())
                .containsExactlyInAnyOrder("n1", "n2");

        Result text = hpctl("cluster");
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("local/l1  ACTIVE").contains("agent n1  RUNNING")
                .contains("web/clone-1  RUNNING").contains("web/clone-2  RUNNING");

        Result located = hpctl("cluster", "--locate", "web/clone-2");
        assertThat(located.exit()).as(located.err()).isZero();
        assertThat(located.out()).matches("web/clone-2 on n[12] 127\\.0\\.0\\.[23] pid \\d+ RUNNING\\s*");
        Result nowhere = hpctl("cluster", "--locate", "web/clone-9");
        assertThat(nowhere.exit()).isEqualTo(1);
        assertThat(nowhere.err()).contains("runs nowhere");

        // a second agent for a node whose agent runs is refused before it can supersede the running one
        Result second = hpctl("agent", "--node", "n1");
        assertThat(second.exit()).as(second.out() + second.err()).isEqualTo(1);
        assertThat(second.err()).contains("cannot listen");
        // an agent for a node the plan in force does not have is a usage error, and starts nothing
        Result unknown = hpctl("agent", "--node", "n9");
        assertThat(unknown.exit()).as(unknown.out() + unknown.err()).isEqualTo(2);
        assertThat(unknown.err()).contains("no node n9 in the plan in force");
        assertThat(JSON.readTree(hpctl("cluster", "--json").out()).get("agents")).extracting(a -> a.get("state")
                .asText()).containsOnly("RUNNING");

        // each agent and the coordinator publish themselves over JMX in their own JVMs
        for (JsonNode agent : report.get("agents")) {
            String node = agent.get("node").asText();
            Object running = io.hostpub.it.web.Jmx.inJvm(agent.get("pid").asLong(), jmx -> jmx.getAttribute(
                    new javax.management.ObjectName("io.hostpub:type=Agent,node=" + node), "RunningJobs"));
            assertThat(running).isEqualTo(1);
        }
        Object coordinatorState = io.hostpub.it.web.Jmx.inJvm(report.get("monitors").get(0).get("pid").asLong(),
                jmx -> jmx.getAttribute(new javax.management.ObjectName(
                        "io.hostpub:type=Coordinator,position=local/l1"), "State"));
        assertThat(coordinatorState).isEqualTo("ACTIVE");

        long victim = runningJobs(report).get(0).get("pid").asLong();
        ProcessHandle.of(victim).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<JsonNode> jobs = runningJobs(JSON.readTree(hpctl("cluster", "--json").out()));
            return jobs.size() == 2 && jobs.stream().noneMatch(j -> j.get("pid").asLong() == victim)
                    && jobs.stream().anyMatch(j -> j.get("statistics").get("restarts").asInt() == 1);
        });

        liveChangesOfThePlan();
    }

    /**
     * {@code hpctl cluster scale} and {@code apply} on the running installation: the coordinator and the agents are
     * not restarted; bad input changes nothing and says what is wrong.
     */
    private void liveChangesOfThePlan() throws Exception {
        long coordinator = JSON.readTree(hpctl("cluster", "--json").out()).get("monitors").get(0).get("pid").asLong();
        Result scaled = hpctl("cluster", "scale", "web", "3", "--wait", "60");
        assertThat(scaled.exit()).as(scaled.out() + scaled.err()).isZero();
        assertThat(scaled.out()).contains("plan version 0 in force").contains("~ application web: count 2 -> 3")
                .contains("applied as plan version 1").contains("every wanted job serves");
        System.out.println("[apply] " + scaled.out().lines().filter(l -> l.startsWith("every wanted")).findFirst()
                .orElse(""));

        Path next = home.resolve("next.json");
        Files.writeString(next, Files.readString(home.resolve("conf").resolve("cluster.json"))
                .replace("\"count\": 2", "\"count\": 1").replace("}]}", "}, {\"name\": \"batch\", \"count\": 1,"
                        + " \"command\": [\"sleep\", \"" + MARKER + "\"], \"monitor\": \"local/l1\"}]}"));
        Result stale = hpctl("cluster", "apply", next.toString(), "--version", "0");
        assertThat(stale.exit()).as(stale.out() + stale.err()).isEqualTo(1);
        assertThat(stale.err()).contains("the plan changed since version 0: version 1 is in force");
        Result applied = hpctl("cluster", "apply", next.toString(), "--version", "1");
        assertThat(applied.exit()).as(applied.out() + applied.err()).isZero();
        assertThat(applied.out()).contains("~ application web: count 3 -> 1").contains("+ application batch")
                .contains("applied as plan version 2");
        JsonNode now = JSON.readTree(hpctl("cluster", "--json").out());
        assertThat(runningJobs(now)).extracting(j -> j.get("spec").get("name").asText())
                .containsExactlyInAnyOrder("web/clone-1", "batch/job-1");
        assertThat(now.get("monitors").get(0).get("pid").asLong()).as("no coordinator restarted").isEqualTo(coordinator);

        Path bad = home.resolve("bad.json");
        Files.writeString(bad, Files.readString(next).replace("\"count\": 1,", "\"count\": -4,"));
        Result invalid = hpctl("cluster", "apply", bad.toString());
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains(bad.toString()).contains("count must be 0..1000")
                .contains("nothing changed");
        Files.writeString(bad, Files.readString(next).replace("\"pollIntervalMs\": 250", "\"pollIntervalMs\": 500"));
        Result structural = hpctl("cluster", "apply", bad.toString());
        assertThat(structural.exit()).isEqualTo(2);
        assertThat(structural.err()).contains("the applications and the nodes of local coordinators change live")
                .contains("pollIntervalMs");
        Result unknown = hpctl("cluster", "scale", "nope", "2");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no application nope");
        assertThat(hpctl("cluster", "apply", next.toString(), "--dry-run").out()).contains("plan version 2 in force")
                .contains("no change to the nodes or the applications");
        theChangesAreInTheAuditJournal();
        nodesChangeLive(next);
    }

    /**
     * Every change made above is in the machine's audit journal, before it ran and with its exit code; reads (the dry
     * run, the views) are not; the chain verifies, and an edited record is found.
     */
    private void theChangesAreInTheAuditJournal() throws Exception {
        Result audit = hpctl("audit", "--action", "cluster");
        assertThat(audit.exit()).as(audit.err()).isZero();
        List<String> lines = audit.out().lines().toList();
        String user = System.getProperty("user.name");
        assertThat(lines).anyMatch(l -> l.contains(user + " (admin)") && l.contains("via hpctl: cluster scale web")
                && l.endsWith("-> requested"));
        assertThat(lines).anyMatch(l -> l.contains("cluster scale web") && l.contains("-> ok: exit 0"));
        assertThat(lines).anyMatch(l -> l.contains("cluster apply") && l.contains("--version 0")
                && l.contains("-> failed: the plan changed since version 0"));
        assertThat(lines).anyMatch(l -> l.contains("cluster apply") && l.contains("bad.json")
                && l.contains("-> failed: invalid cluster plan") && l.contains("count must be 0..1000"));
        assertThat(lines).noneMatch(l -> l.contains("--dry-run"));
        assertThat(lines).hasSize(2 * 6); // scale, stale, applied, invalid, structural, unknown: request + outcome
        Result verified = hpctl("audit", "--verify");
        assertThat(verified.exit()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("audit journal intact: 12 records");

        Path journal = home.resolve("audit").resolve("audit.log");
        String original = Files.readString(journal);
        Files.writeString(journal, original.replaceFirst("\"target\":\"web\"", "\"target\":\"w3b\""));
        Result tampered = hpctl("audit", "--verify");
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.err()).contains("BROKEN").contains("record #1").contains("hash does not match");
        Files.writeString(journal, original);
    }

    /**
     * A node added live: its agent is started by the local coordinator and new members are placed on it; a node
     * removed live: drained first (its jobs move), then its agent stops; neither restarts a coordinator that stays.
     */
    private void nodesChangeLive(Path current) throws Exception {
        String n3 = "{\"name\": \"n3\", \"address\": \"127.0.0.4\"}";
        Path added = home.resolve("added.json");
        Files.writeString(added, Files.readString(current)
                .replace("\"address\": \"127.0.0.3\"}]", "\"address\": \"127.0.0.3\"}, " + n3 + "]")
                .replace("[\"n1\", \"n2\"]", "[\"n1\", \"n2\", \"n3\"]"));
        long began = System.nanoTime();
        Result apply = hpctl("cluster", "apply", added.toString(), "--wait", "60");
        assertThat(apply.exit()).as(apply.out() + apply.err()).isZero();
        assertThat(apply.out()).contains("+ node n3 (127.0.0.4) under local/l1")
                .contains("~ local/l1: nodes [n1, n2] -> [n1, n2, n3]").contains("applied as plan version 3");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> agentState(
                JSON.readTree(hpctl("cluster", "--json").out()), "n3").equals("RUNNING"));
        System.out.printf("[apply] node added -> its agent RUNNING: %d ms%n", (System.nanoTime() - began) / 1_000_000);
        Result scaled = hpctl("cluster", "scale", "web", "3", "--wait", "60");
        assertThat(scaled.exit()).as(scaled.out() + scaled.err()).isZero();
        assertThat(runningJobs(JSON.readTree(hpctl("cluster", "--json").out()))).extracting(j -> j.get("node")
                .asText()).as("the new node takes new members").contains("n3");

        Path bad = home.resolve("moved.json");
        Files.writeString(bad, Files.readString(added).replace("127.0.0.2", "127.0.0.9"));
        Result moved = hpctl("cluster", "apply", bad.toString());
        assertThat(moved.exit()).isEqualTo(2);
        assertThat(moved.err()).contains("the address of node n1");
        Result stranger = hpctl("agent", "--node", "n9");
        assertThat(stranger.exit()).as(stranger.out() + stranger.err()).isEqualTo(2);
        assertThat(stranger.err()).contains("no node n9 in the plan in force");

        Path removed = home.resolve("removed.json");
        Files.writeString(removed, Files.readString(added)
                .replace("{\"name\": \"n2\", \"address\": \"127.0.0.3\"}, ", "")
                .replace("[\"n1\", \"n2\", \"n3\"]", "[\"n1\", \"n3\"]")
                .replaceFirst("\"count\": 1,", "\"count\": 3,")); // web's count as scaled
        began = System.nanoTime();
        Result removal = hpctl("cluster", "apply", removed.toString(), "--wait", "60");
        assertThat(removal.exit()).as(removal.out() + removal.err()).isZero();
        assertThat(removal.out()).contains("- node n2 (127.0.0.3): drained first").contains("applied as plan version 5")
                .contains("every wanted job serves");
        Process agentOfN2 = agents.get(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> !agentOfN2.isAlive());
        System.out.printf("[apply] node removed -> its jobs moved, its agent gone: %d ms%n",
                (System.nanoTime() - began) / 1_000_000);
        JsonNode after = JSON.readTree(hpctl("cluster", "--json").out());
        List<String> nodes = new ArrayList<>();
        after.get("agents").forEach(agent -> nodes.add(agent.get("node").asText()));
        assertThat(nodes).containsExactly("n1", "n3");
        assertThat(runningJobs(after)).hasSize(4).extracting(j -> j.get("node").asText()).containsOnly("n1", "n3");
        assertThat(Files.readString(home.resolve("agent-n2.out"))).contains("removal of node n2 from the plan");
    }

    private static String agentState(JsonNode report, String node) {
        for (JsonNode agent : report.get("agents")) {
            if (agent.get("node").asText().equals(node)) {
                return agent.get("state").asText();
            }
        }
        return "ABSENT";
    }

    /**
     * The ZooKeeper store from the shipped artifacts: {@code hpctl agent} and {@code hpctl cluster} against a real
     * ZooKeeper server process. Every agent once died at start with {@code NoClassDefFoundError:
     * io/netty/handler/ssl/SslContext} (hpctl.jar left Netty out; the tests' class path had it).
     */
    @Test
    void theZooKeeperStoreRunsFromTheShippedCli() throws Exception {
        AtomicReference<Result> last = new AtomicReference<>();
        try (TestMachine machine = new TestMachine(home.resolve("zk"), "<hostpub/>");
                ZooKeeperProcess zookeeper = new ZooKeeperProcess(machine)) {
            Files.createDirectories(home.resolve("conf"));
            Files.writeString(home.resolve("conf").resolve("cluster.json"), "{\"pollIntervalMs\": 250, \"agentPort\": "
                    + FreePorts.next() + ", \"monitorPort\": " + FreePorts.next() + ",\n"
                    + " \"store\": {\"kind\": \"zookeeper\", \"connect\": \"" + zookeeper.connectString()
                    + "\", \"base\": \"/hostpub-cli\"},\n"
                    + " \"nodes\": [{\"name\": \"n1\", \"address\": \"127.0.0.2\"}],\n"
                    + " \"monitors\": [{\"position\": \"local/l1\", \"children\": [\"n1\"]}],\n"
                    + " \"applications\": [{\"name\": \"web\", \"count\": 1, \"member\": \"clone\","
                    + " \"command\": [\"sleep\", \"" + MARKER + "\"], \"monitor\": \"local/l1\"}]}\n");
            ProcessBuilder builder = new ProcessBuilder(Path.of("..", "hpctl").toAbsolutePath().normalize()
                    .toString(), "agent", "--node", "n1");
            builder.environment().put("HOSTPUB_HOME", home.toString());
            agents.add(builder.redirectErrorStream(true).redirectOutput(home.resolve("agent-n1.out").toFile())
                    .start());
            JsonNode report = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().failFast("the agent died", () -> !agents.get(0).isAlive())
                    .until(() -> {
                        last.set(hpctl("cluster", "--json"));
                        return JSON.readTree(last.get().out());
                    }, r -> r.get("monitors").get(0).get("state").asText().equals("ACTIVE")
                            && runningJobs(r).size() == 1);
            assertThat(report.get("store").asText()).contains("zookeeper").contains(zookeeper.connectString());
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "\nlast hpctl cluster: " + last.get()
                    + "\nagent output:\n" + Files.readString(home.resolve("agent-n1.out")), e);
        }
    }

    @Test
    void badInvocationsExitWithUsageAndAClearMessage() throws Exception {
        Result noPlan = hpctl("cluster");
        assertThat(noPlan.exit()).isEqualTo(2);
        assertThat(noPlan.err()).contains("no cluster plan").contains("cluster.json");
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf").resolve("cluster.json"), "{\"pollIntervalMs\": 250, \"agentPort\": 1,"
                + " \"monitorPort\": 2, \"nodes\": [{\"name\": \"n1\", \"address\": \"127.0.0.2\"}], \"monitors\": []}");
        Result noSecret = hpctl("cluster");
        assertThat(noSecret.exit()).as(noSecret.err()).isEqualTo(2);
        assertThat(noSecret.err()).contains("cannot read the installation secret").contains("conf/secret")
                .contains("copy it");
        Result unknownNode = hpctl("agent", "--node", "n9");
        assertThat(unknownNode.exit()).isEqualTo(2);
        assertThat(unknownNode.err()).contains("no node n9");
    }

    private static List<JsonNode> runningJobs(JsonNode report) {
        List<JsonNode> jobs = new ArrayList<>();
        report.get("agents").forEach(a -> a.get("jobs").forEach(j -> {
            if (j.get("state").asText().equals("RUNNING")) {
                jobs.add(j);
            }
        }));
        return jobs;
    }
}
