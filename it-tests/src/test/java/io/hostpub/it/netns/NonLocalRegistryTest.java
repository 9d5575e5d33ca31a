package io.hostpub.it.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.testing.CloneProcess;
import io.hostpub.testing.NetworkNamespace;
import io.hostpub.testing.TestMachine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry refuses bind, rebind and unbind from a non-local address, even to a caller that holds the
 * installation secret; listing and lookup (remote administration) still work. The caller runs in a network
 * namespace, the only way one machine has a non-local address. Skipped, saying why, where the machine forbids
 * namespaces (no CAP_NET_ADMIN).
 */
class NonLocalRegistryTest {

    private static final Pattern REGISTRY = Pattern.compile("registry on port (\\d+)");

    @TempDir
    Path home;

    NetworkNamespace namespace;
    TestMachine machine;

    @BeforeEach
    void setUp() {
        Object made = NetworkNamespace.tryCreate();
        Assumptions.assumeTrue(made instanceof NetworkNamespace, () -> "no network namespace here: " + made);
        namespace = (NetworkNamespace) made;
        machine = new TestMachine(home, "<hostpub><bindAddress>" + namespace.hostAddress() + "</bindAddress></hostpub>");
    }

    @AfterEach
    void tearDown() {
        if (machine != null) {
            machine.close();
        }
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void aNonLocalCallerWithTheSecretCanLookUpButNeverChangeTheRegistry() throws Exception {
        CloneProcess supervisor = machine.startRuntime("far", 0);
        String port = await().atMost(Duration.ofSeconds(60)).until(() -> supervisor.logLines().stream()
                .map(REGISTRY::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst().orElse(null),
                found -> found != null);

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", machine.classpath(), RemoteRegistryProbe.class.getName(),
                namespace.hostAddress(), port, home.resolve("conf/secret").toString(), "far"));
        CloneProcess probe = CloneProcess.launch(machine, "probe", namespace.inside(command), null);
        machine.track(probe);
        await().atMost(Duration.ofSeconds(60)).until(() -> !probe.isAlive());
        List<String> lines = probe.logLines();

        String origin = "origin /" + namespace.insideAddress() + " is non-local host";
        assertThat(lines).as("probe output").anyMatch(l -> l.startsWith("LIST ok") && l.contains("far"))
                .anyMatch(l -> l.startsWith("LOOKUP ok"))
                .anyMatch(l -> l.startsWith("BIND refused java.rmi.AccessException") && l.contains(origin))
                .anyMatch(l -> l.startsWith("REBIND refused java.rmi.AccessException") && l.contains(origin))
                .anyMatch(l -> l.startsWith("UNBIND refused java.rmi.AccessException") && l.contains(origin));
        // nothing changed: the supervisor is still bound under its name and "main", nothing was planted
        var located = new io.hostpub.admin.api.locate.MachineLocator(machine.secret())
                .locate(new io.hostpub.admin.api.locate.MachineAddress(namespace.hostAddress(), machine.port()));
        assertThat(located.instances()).extracting(i -> i.name()).containsExactly("far");
        assertThat(located.main()).isNotNull();
        assertThat(supervisor.isAlive()).isTrue();
    }
}
