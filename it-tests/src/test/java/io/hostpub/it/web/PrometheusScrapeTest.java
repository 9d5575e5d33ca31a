package io.hostpub.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.admin.api.model.Role;
import io.hostpub.testing.Containers;
import io.hostpub.testing.Containers.ContainerClone;
import io.hostpub.testing.Containers.Distribution;
import io.hostpub.testing.FreePorts;
import io.hostpub.testing.TestMachine;
import io.hostpub.testing.TestPasswords;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's {@code prometheus}, which {@code .ci/run} installs) scrapes two clones, a Jetty
 * and a Tomcat one, found through {@code /hpadmin/api/sd} with the administrator's login; its query API then finds the
 * instances by role, the license figures, and, after a {@code kill -9} of the supervisor, the survivor's supervisor
 * change.
 */
class PrometheusScrapeTest {

    static final String PASSWORD = "prometheus-scrape-password";
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void prometheusFindsTheClonesThroughDiscoveryAndSeesAFailover() throws Exception {
        assertThat(PROMETHEUS).as("Debian's prometheus package (apt-get install -y prometheus; .ci/run installs it)")
                .isExecutable();
        List<ContainerClone> clones = new ArrayList<>();
        Process prometheus = null;
        try (TestMachine machine = new TestMachine(home.resolve("machine"), "<hostpub><licenseLimit>30</licenseLimit>"
                + TestPasswords.configElement(PASSWORD) + "</hostpub>")) {
            clones.add(Containers.start(machine, Distribution.JETTY_12));
            clones.add(Containers.start(machine, Distribution.TOMCAT_11));
            MachineView view = await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(machine::view,
                    v -> v.instances().size() == 2);
            ContainerClone supervisor = clones.stream().filter(c -> c.instanceName().equals(view.supervisor()))
                    .findFirst().orElseThrow();
            ContainerClone survivor = clones.stream().filter(c -> c != supervisor).findFirst().orElseThrow();
            for (ContainerClone clone : clones) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(HttpRequest
                        .newBuilder(URI.create(clone.url("/app/query"))).build(), HttpResponse.BodyHandlers
                        .ofString()).statusCode() == 200);
            }

            int port = FreePorts.next();
            Path passwordFile = Files.writeString(home.resolve("password"), PASSWORD);
            Path config = Files.writeString(home.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: hostpub
                        basic_auth: {username: admin, password_file: %1$s}
                        http_sd_configs:
                          - url: %2$s
                            refresh_interval: 1s
                            basic_auth: {username: admin, password_file: %1$s}
                    """.formatted(passwordFile, survivor.url("/hpadmin/api/sd")));
            prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + home.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(home.resolve("prometheus.log").toFile()).start();
            String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";

            // both clones found and scraped, with the labels the discovery gave them
            JsonNode up = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> query(api, "up{job=\"hostpub\"} == 1"), r -> r.size() == 2);
            assertThat(up.findValuesAsText("instance")).containsExactlyInAnyOrder(clones.get(0).instanceName(),
                    clones.get(1).instanceName());
            // Debian builds Prometheus without the React UI: its classic target list
            screenshotOfTheTargets("http://127.0.0.1:" + port + "/classic/targets");
            JsonNode roles = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> query(api, "hostpub_instances{role=\"supervisor\"}"), r -> r.size() == 2);
            roles.forEach(sample -> assertThat(sample.get("value").get(1).asText()).isEqualTo("1"));
            JsonNode limit = query(api, "max(hostpub_license_units_limit)");
            assertThat(limit.get(0).get("value").get(1).asText()).isEqualTo("30");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> query(api,
                    "sum(hostpub_license_grants_total) > 0").size() == 1);

            // the supervisor killed: the survivor takes over and Prometheus sees the change it counted
            supervisor.process().kill9();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> query(api, "hostpub_supervisor_changes_total{instance=\""
                            + survivor.instanceName() + "\"} == 1").size() == 1);
            JsonNode failovers = query(api, "hostpub_failover_seconds_count{instance=\"" + survivor.instanceName()
                    + "\"}");
            assertThat(failovers.get(0).get("value").get(1).asText()).isEqualTo("1");
            assertThat(query(api, "hostpub_instances{role=\"supervisor\",instance=\"" + survivor.instanceName()
                    + "\"}").get(0).get("value").get(1).asText()).isEqualTo("1");
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
            clones.forEach(clone -> clone.process().close());
        }
    }

    /**
     * Prometheus' target list as Chromium renders it, for the observability page (it-tests/target/site-images): an
     * illustration, not a check, so a missing browser only leaves it out.
     */
    private static void screenshotOfTheTargets(String url) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            return;
        }
        Path image = Path.of("target", "site-images", "prometheus-targets.png").toAbsolutePath();
        Files.createDirectories(image.getParent());
        Process shot = new ProcessBuilder(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--window-size=1280,560", "--virtual-time-budget=8000",
                "--screenshot=" + image, url).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!shot.waitFor(60, TimeUnit.SECONDS)) {
            shot.destroyForcibly();
        }
    }

    /** The result vector of an instant query. */
    private JsonNode query(String api, String promql) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(api
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = json.readTree(answer.body());
        assertThat(body.get("status").asText()).as(answer.body()).isEqualTo("success");
        return body.get("data").get("result");
    }
}
