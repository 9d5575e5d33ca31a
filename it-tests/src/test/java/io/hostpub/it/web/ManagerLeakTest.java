package io.hostpub.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.coordinator.agent.NodeAgent;
import io.hostpub.coordinator.api.plan.ClusterPlan;
import io.hostpub.testing.Containers.ContainerClone;
import io.hostpub.testing.Containers.Distribution;
import io.hostpub.testing.Containers;
import io.hostpub.testing.FreePorts;
import io.hostpub.testing.TestMachine;
import io.hostpub.testing.TestPasswords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator of a standalone Tomcat 10.1 sees in its Manager after using the cluster page: reloads of
 * HostPublisher.war (through the Manager's text interface) leave no thread of the WAR behind, and the Manager's
 * "Find leaks" ({@code /manager/text/findleaks}, which runs a full collection first) lists nothing. The cluster page
 * asks a real agent of the installation, so the WAR's cluster client has made real calls before every reload.
 */
class ManagerLeakTest {

    static final String PASSWORD = "manager-leak-password";
    static final String MANAGER_USER = "deployer";
    static final String MANAGER_PASSWORD = "deployer-password";
    static final int RELOADS = 3;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path home;

    @Test
    void reloadsAfterTheClusterPageLeaveNoThreadAndFindLeaksListsNothing() throws Exception {
        try (TestMachine machine = new TestMachine(home, "<hostpub>" + TestPasswords.configElement(PASSWORD)
                + "</hostpub>")) {
            ClusterPlan plan = new ClusterPlan(1000, FreePorts.next(), FreePorts.next(), null,
                    List.of(new ClusterPlan.Node("n1", "127.0.0.1")), List.of(), List.of(), null, null);
            plan.write(home);
            try (NodeAgent agent = NodeAgent.start(plan, home, "n1", Optional.empty(), () -> { })) {
                // the JDK's RMI lets go of an undeployed copy's connections and references in its own time (idle
                // connection threads 60 s, client connections 15 s, DGC clean retries 3 min): shortened, as in
                // RedeployTest, so the test need not wait for them; soft references are cleared at every collection
                ContainerClone clone = Containers.startTomcatWithManager(machine, Distribution.TOMCAT_10,
                        FreePorts.next(), MANAGER_USER, MANAGER_PASSWORD,
                        "-Dsun.rmi.transport.tcp.threadKeepAliveTime=1000", "-Dsun.rmi.transport.connectionTimeout=1000",
                        "-Dsun.rmi.dgc.cleanInterval=1000", "-XX:SoftRefLRUPolicyMSPerMB=0");
                Instant started = awaitRuntimeAfter(machine, clone, Instant.EPOCH);
                for (int i = 0; i < RELOADS; i++) {
                    useTheClusterPage(clone);
                    String reload = manager(clone, "reload?path=/HostPublisher");
                    assertThat(reload).as("manager reload").startsWith("OK");
                    started = awaitRuntimeAfter(machine, clone, started);
                }
                useTheClusterPage(clone);
                String[] last = {""};
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3)).until(() -> {
                    last[0] = manager(clone, "findleaks?statusLine=true");
                    return last[0].contains("No memory leaks found");
                });
                String threads = manager(clone, "threaddump");
                assertThat(threads).as("threads of the container after %d reloads", RELOADS)
                        .doesNotContain("HttpClient-").doesNotContain("hostpub-cluster");
                assertThat(machine.view().instances()).extracting(InstanceSummary::name)
                        .containsExactly(clone.instanceName());
            }
        }
    }

    /** The cluster page and API of the live deployment, answered by the agent. */
    private static void useTheClusterPage(ContainerClone clone) throws Exception {
        HttpResponse<String> api = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> get(clone.url("/hpadmin/api/cluster")), r -> r.statusCode() == 200);
        assertThat(api.body()).contains("\"node\":\"n1\"").contains("\"state\":\"RUNNING\"");
        assertThat(get(clone.url("/hpadmin/cluster")).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic("admin", PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String manager(ContainerClone clone, String command) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + clone.httpPort() + "/manager/text/" + command)).timeout(Duration.ofSeconds(60))
                .header("Authorization", basic(MANAGER_USER, MANAGER_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("manager %s: %s", command, response.body()).isEqualTo(200);
        return response.body();
    }

    private static Instant awaitRuntimeAfter(TestMachine machine, ContainerClone clone, Instant previous) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> machine.view().instances().stream().filter(i -> i.name().equals(clone.instanceName()))
                        .map(InstanceSummary::startedAt).filter(at -> at.isAfter(previous)).findFirst().orElse(null),
                        at -> at != null);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }
}
