package io.hostpub.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostpub.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./hpctl demo} as README's first command runs it: embedded Jetty and Tomcat clones serving the WAR on
 * consecutive ports, the admin URL and login printed and working, a killed clone restarted, every clone stopped
 * with the demo.
 */
class DemoTest {

    @TempDir
    Path dir;

    @Test
    void theDemoServesTheAdminUiAndKeepsItsClonesAlive() throws Exception {
        int firstPort = FreePorts.consecutive(2);
        Path script = Path.of("..", "hpctl").toAbsolutePath().normalize();
        Path out = dir.resolve("demo.out");
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "demo", "--clones", "2", "--http-port",
                String.valueOf(firstPort)).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().remove("HOSTPUB_HOME");
        builder.environment().remove("HOSTPUB_CONFIG");
        // an operator's password as a system property: it must reach the clones without appearing on their
        // command lines or in the plan file (it once did in both)
        String password = "Pw-" + Long.toHexString(System.nanoTime()) + "-given";
        builder.environment().put("HPCTL_OPTS", "-Dhostpub.supervisorPort=" + FreePorts.next()
                + " -Dhostpub.adminPassword=" + password);
        Process demo = builder.start();
        List<Long> clonePids = new ArrayList<>();
        try {
            String printed = await().atMost(Duration.ofSeconds(180)).until(() -> Files.readString(out),
                    text -> text.contains("login:") || !demo.isAlive());
            assertThat(demo.isAlive()).as(printed).isTrue();
            assertThat(printed).contains("http://127.0.0.1:" + firstPort + "/HostPublisher/hpadmin/")
                    .contains("jetty-" + firstPort).contains("tomcat-" + (firstPort + 1));
            Matcher login = Pattern.compile("login:\\s+(\\S+) / (\\S+)").matcher(printed);
            assertThat(login.find()).as(printed).isTrue();
            assertThat(login.group(2)).isEqualTo(password);
            assertThat(Files.readString(dir.resolve("demo-home/conf/cluster.json"))).doesNotContain(password);
            String auth = "Basic " + Base64.getEncoder().encodeToString((login.group(1) + ":" + login.group(2))
                    .getBytes(StandardCharsets.UTF_8));

            HttpClient http = HttpClient.newHttpClient();
            HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (firstPort + 1)
                    + "/HostPublisher/hpadmin/api/instances")).header("Authorization", auth).build();
            JsonNode view = new ObjectMapper().readTree(http.send(list, HttpResponse.BodyHandlers.ofString()).body());
            assertThat(view.get("instances")).hasSize(2);
            view.get("instances").forEach(i -> clonePids.add(i.get("pid").asLong()));
            for (long pid : clonePids) {
                assertThat(Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline")))
                        .as("command line of clone %d", pid).doesNotContain(password);
            }
            JsonNode supervisor = view.get("instances").get(0);
            assertThat(supervisor.get("role").asText()).isEqualTo("SUPERVISOR");

            // kill -9 the supervisor's clone: the demo restarts it and it rejoins under its name
            ProcessHandle.of(supervisor.get("pid").asLong()).orElseThrow().destroyForcibly();
            String name = supervisor.get("name").asText();
            long oldPid = supervisor.get("pid").asLong();
            HttpRequest viaOther = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + (name.endsWith(String.valueOf(firstPort)) ? firstPort + 1 : firstPort)
                    + "/HostPublisher/hpadmin/api/instances")).header("Authorization", auth).build();
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
                JsonNode now = new ObjectMapper().readTree(http.send(viaOther, HttpResponse.BodyHandlers.ofString())
                        .body());
                for (JsonNode i : now.get("instances")) {
                    if (i.get("name").asText().equals(name) && i.get("pid").asLong() != oldPid) {
                        clonePids.add(i.get("pid").asLong());
                        return now.get("instances").size() == 2;
                    }
                }
                return false;
            });

            clusterPageAndApi(http, auth, "http://127.0.0.1:" + firstPort + "/HostPublisher", login.group(1),
                    login.group(2), clonePids);
        } finally {
            demo.destroy(); // SIGTERM: the demo stops every clone
            demo.waitFor();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> clonePids.stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    /**
     * The cluster page and API of the demo's supervision: one local coordinator, its agent, the two clone jobs (the
     * killed one counted as a restart); stopping a job from the page (POST + CSRF), starting it again over the API.
     */
    private static void clusterPageAndApi(HttpClient http, String auth, String base, String user, String password,
            List<Long> clonePids) throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpRequest cluster = HttpRequest.newBuilder(URI.create(base + "/hpadmin/api/cluster"))
                .header("Authorization", auth).build();
        JsonNode report = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> json.readTree(
                http.send(cluster, HttpResponse.BodyHandlers.ofString()).body()), r -> r.get("monitors").get(0)
                        .get("state").asText().equals("ACTIVE") && r.get("agents").get(0).get("jobs").size() == 2);
        assertThat(report.get("monitors").get(0).get("position").asText()).isEqualTo("local/demo");
        assertThat(report.get("agents").get(0).get("jobs")).extracting(j -> j.get("spec").get("name").asText())
                .containsExactly("jetty/clone-1", "tomcat/clone-1");
        assertThat(report.get("agents").get(0).get("jobs")).anySatisfy(j -> assertThat(j.get("statistics")
                .get("restarts").asInt()).isEqualTo(1));
        String xml = http.send(HttpRequest.newBuilder(URI.create(base + "/hpadmin/api/cluster"))
                .header("Authorization", auth).header("Accept", "application/xml").build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(xml).contains("<cluster ").contains("position=\"local/demo\"").contains("name=\"tomcat/clone-1\"");
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(base
                + "/hpadmin/api/cluster/stop-job?job=tomcat/clone-1")).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(403);

        try (AdminBrowser browser = new AdminBrowser()) {
            browser.login(base, user, password);
            org.htmlunit.html.HtmlPage page = browser.page(base + "/hpadmin/cluster");
            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
            assertThat(page.querySelectorAll("svg#tree g.node")).hasSize(4); // coordinator, agent, 2 jobs
            assertThat(page.asNormalizedText()).contains("local/demo").contains("agent local")
                    .contains("tomcat/clone-1");
            org.htmlunit.html.HtmlForm stop = page.getForms().stream().filter(f -> f.getInputsByName("name").stream()
                    .anyMatch(i -> i.getValue().equals("tomcat/clone-1"))).findFirst().orElseThrow();
            org.htmlunit.html.HtmlPage after = stop.getOneHtmlElementByAttribute("button", "value", "stop-job")
                    .click();
            assertThat(after.asNormalizedText()).contains("stop-job tomcat/clone-1: sent to local/demo");
            assertThat(browser.alerts()).isEmpty();
        }
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            JsonNode now = json.readTree(http.send(cluster, HttpResponse.BodyHandlers.ofString()).body());
            return now.get("agents").get(0).get("jobs").size() == 1
                    && now.get("monitors").get(0).get("operator").get("heldJobs").get(0).asText()
                            .equals("tomcat/clone-1");
        });

        JsonNode csrf = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/hpadmin/api/csrf"))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString()).body());
        HttpResponse<String> start = http.send(HttpRequest.newBuilder(URI.create(base
                + "/hpadmin/api/cluster/start-job?job=tomcat/clone-1")).header("Authorization", auth)
                .header(csrf.get("header").asText(), csrf.get("token").asText())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
            JsonNode now = json.readTree(http.send(cluster, HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode job : now.get("agents").get(0).get("jobs")) {
                if (job.get("spec").get("name").asText().equals("tomcat/clone-1")
                        && job.get("state").asText().equals("RUNNING")) {
                    clonePids.add(job.get("pid").asLong());
                    return true;
                }
            }
            return false;
        });
        // a real browser renders the tree (the screenshot is the site's picture of the page)
        Path shot = BrowserCheck.screenshotClusterPage(base, user, password, 4);
        assertThat(Files.size(shot)).isPositive();
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base
                + "/hpadmin/api/cluster/stop-job?job=nope/clone-1")).header("Authorization", auth)
                .header(csrf.get("header").asText(), csrf.get("token").asText())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }
}
