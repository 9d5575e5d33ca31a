package io.hostpub.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real ZooKeeper ensemble on machines of a {@link TestBed}: one server per machine ({@code QuorumPeerMain} from the
 * ZooKeeper server artifact, the way {@code zkServer.sh} starts it), each with its {@code myid} and a {@code zoo.cfg}
 * listing all of them at their machines' addresses (client port 2181, quorum ports 2888 and 3888), exactly as on
 * separate hosts. A server can be killed and started again; {@link #modes()} asks each for its role over the
 * four-letter {@code srvr} command, from inside its own machine.
 */
public final class ZooKeeperEnsemble implements AutoCloseable {

    public static final int CLIENT_PORT = 2181;
    public static final int TICK_MS = 2000;

    private final List<TestMachine> machines;
    private final CloneProcess[] servers;

    private ZooKeeperEnsemble(List<TestMachine> machines) {
        this.machines = List.copyOf(machines);
        this.servers = new CloneProcess[machines.size()];
    }

    /** Starts one server on each machine and waits until every one is a leader or a follower. */
    public static ZooKeeperEnsemble start(List<TestMachine> machines) throws IOException {
        return start(machines, null);
    }

    /**
     * The same with the {@code zoo.cfg} an operator would write: {@code zooCfg} gives server i's lines (0-based) for
     * its data directory ({@code myid} is written there), or null for this fixture's own.
     */
    public static ZooKeeperEnsemble start(List<TestMachine> machines,
            java.util.function.BiFunction<Integer, Path, List<String>> zooCfg) throws IOException {
        ZooKeeperEnsemble ensemble = new ZooKeeperEnsemble(machines);
        try {
            for (int i = 0; i < machines.size(); i++) {
                ensemble.configure(i, zooCfg);
                ensemble.start(i);
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> ensemble.modes().stream().allMatch(m -> m.equals("leader") || m.equals("follower")));
            return ensemble;
        } catch (IOException | RuntimeException e) {
            ensemble.close();
            throw e;
        }
    }

    private static String host(TestMachine machine) {
        return machine.address().host();
    }

    private Path dataDir(int server) {
        return machines.get(server).home().resolve("zookeeper");
    }

    private void configure(int server, java.util.function.BiFunction<Integer, Path, List<String>> zooCfg)
            throws IOException {
        Path data = Files.createDirectories(dataDir(server).resolve("data"));
        Files.writeString(data.resolve("myid"), (server + 1) + "\n");
        List<String> config = new ArrayList<>(List.of("tickTime=" + TICK_MS, "initLimit=10", "syncLimit=5",
                "dataDir=" + data, "clientPort=" + CLIENT_PORT, "clientPortAddress=" + host(machines.get(server)),
                "maxClientCnxns=0", "admin.enableServer=false", "4lw.commands.whitelist=ruok,srvr"));
        for (int i = 0; i < machines.size(); i++) {
            config.add("server." + (i + 1) + "=" + host(machines.get(i)) + ":2888:3888");
        }
        if (zooCfg != null) {
            config = zooCfg.apply(server, data);
        }
        Files.write(dataDir(server).resolve("zoo.cfg"), config);
    }

    /** Starts server {@code server} (0-based) again, with the data it had. */
    public void start(int server) {
        TestMachine machine = machines.get(server);
        servers[server] = CloneProcess.launch(machine, "zookeeper-" + (server + 1), List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-XX:+UseSerialGC",
                "-Dzookeeper.admin.enableServer=false", "-cp", System.getProperty("java.class.path"),
                "org.apache.zookeeper.server.quorum.QuorumPeerMain", dataDir(server).resolve("zoo.cfg").toString()),
                null);
        machine.track(servers[server]);
    }

    /** Kills server {@code server} (0-based) with SIGKILL. */
    public void kill(int server) {
        servers[server].kill9();
    }

    /** {@code host:2181,...}: the store's connect string. */
    public String connectString() {
        return String.join(",", machines.stream().map(m -> host(m) + ":" + CLIENT_PORT).toList());
    }

    /** Each server's mode as it says ("leader", "follower"), or "down" when it does not answer. */
    public List<String> modes() {
        List<String> modes = new ArrayList<>();
        for (TestMachine machine : machines) {
            modes.add(mode(machine));
        }
        return modes;
    }

    private static String mode(TestMachine machine) {
        try {
            Process srvr = new ProcessBuilder(machine.command(List.of("bash", "-c", "exec 3<>/dev/tcp/"
                    + host(machine) + "/" + CLIENT_PORT + " && printf srvr >&3 && cat <&3"))).redirectErrorStream(true)
                    .start();
            String said = new String(srvr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!srvr.waitFor(10, TimeUnit.SECONDS)) {
                srvr.destroyForcibly();
                return "down";
            }
            return said.lines().filter(l -> l.startsWith("Mode: ")).map(l -> l.substring(6).strip()).findFirst()
                    .orElse("down");
        } catch (IOException e) {
            return "down";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "down";
        }
    }

    @Override
    public void close() {
        for (CloneProcess server : servers) {
            if (server != null) {
                server.kill9();
            }
        }
    }
}
