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
            // the metrics the demo prints, with the cluster's jobs: what a Prometheus pointed at it would scrape
            Matcher metrics = Pattern.compile("metrics:\\s+(\\S+)").matcher(printed);
            assertThat(metrics.find()).as(printed).isTrue();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(http.send(HttpRequest.newBuilder(
                    URI.create(metrics.group(1))).header("Authorization", auth).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("hostpub_instances{role=\"supervisor\"} 1.0",
                            "hostpub_cluster_up 1.0", "hostpub_cluster_jobs{state=\"running\"} 2.0",
                            "hostpub_job_availability_ratio{application="));
            for (long pid : clonePids) {
                assertThat(Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline")))
                        .as("command line of clone %d", pid).doesNotContain(password);
            }
            readOnlyLoginAndAudit(http, printed, "http://127.0.0.1:" + firstPort + "/HostPublisher");
            // each clone's sample counter, saved as its job's checkpoint: it must survive every restart below
            for (int port : List.of(firstPort, firstPort + 1)) {
                for (int i = 1; i <= 3; i++) {
                    assertThat(counter(http, port, true)).isEqualTo(i);
                }
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
            aStoppedCloneIsKilledWithEvidenceAndServesAgain(http, auth, firstPort, clonePids);
            // both clones' JVMs were replaced (kill -9, stop and start, a hang): each resumed from its checkpoint
            for (int port : List.of(firstPort, firstPort + 1)) {
                int clonePort = port;
                assertThat(await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> counter(http,
                        clonePort, false), c -> c >= 0)).as("counter of the clone on %d", port).isEqualTo(3);
                assertThat(counter(http, port, true)).isEqualTo(4);
            }
            new DemoRollout(script, dir.resolve("demo-home"), http, auth, "http://127.0.0.1:" + firstPort
                    + "/HostPublisher").run(Path.of("..", "hp-admin-war", "target", "HostPublisher.war")
                    .toAbsolutePath().normalize(), firstPort + 1);
            // the rolled-out clone resumed its counter from its job's checkpoint
            assertThat(await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> counter(http,
                    firstPort + 1, true), c -> c >= 0)).isEqualTo(5);
            shutdownOfASupervisedCloneStopsItsJob(http, auth, "http://127.0.0.1:" + firstPort + "/HostPublisher");
            shutdownOfTheInstallationEndsTheDemo(http, auth, "http://127.0.0.1:" + firstPort + "/HostPublisher",
                    script, demo, out, clonePids);
        } finally {
            demo.destroy(); // SIGTERM: the demo stops every clone
            demo.waitFor();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> clonePids.stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    /** The clone's sample counter ({@code /app/counter}), after adding one when {@code add}. */
    private static long counter(HttpClient http, int port, boolean add) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/HostPublisher/app/counter")).timeout(Duration.ofSeconds(10));
        HttpResponse<String> response = http.send(add ? request.POST(HttpRequest.BodyPublishers.noBody()).build()
                : request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body()).get("count").asLong();
    }

    static HttpResponse<String> post(HttpClient http, String auth, String base, String path)
            throws Exception {
        JsonNode csrf = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base
                + "/hpadmin/api/csrf")).header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString())
                .body());
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth)
                .header(csrf.get("header").asText(), csrf.get("token").asText())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * SIGSTOP of the Jetty clone: its agent's health looks (the demo asks {@code /HostPublisher/health}) find it hung,
     * keep evidence, kill it and start it again; the cluster report shows the incident. Prints the time from the
     * SIGSTOP to serving again, a figure for the site.
     */
    private static void aStoppedCloneIsKilledWithEvidenceAndServesAgain(HttpClient http, String auth, int port,
            List<Long> clonePids) throws Exception {
        String base = "http://127.0.0.1:" + port + "/HostPublisher";
        HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(2))
                .build();
        HttpResponse<String> up = http.send(health, HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).isEqualTo("UP\n");
        HttpRequest cluster = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (port + 1)
                + "/HostPublisher/hpadmin/api/cluster")).header("Authorization", auth).build();
        ObjectMapper json = new ObjectMapper();
        long pid = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> jettyJob(json.readTree(http.send(cluster,
                HttpResponse.BodyHandlers.ofString()).body())), j -> j != null && j.get("healthy").asBoolean())
                .get("pid").asLong();
        long stopped = System.nanoTime();
        new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).start().waitFor();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200
                        && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        System.out.printf("[hung] SIGSTOP of the Jetty clone -> killed with evidence, restarted, serving again: %d ms%n",
                (System.nanoTime() - stopped) / 1_000_000);
        JsonNode job = await().atMost(Duration.ofSeconds(10)).until(() -> jettyJob(json.readTree(http.send(cluster,
                HttpResponse.BodyHandlers.ofString()).body())), j -> j != null && j.get("incidents").size() > 0);
        clonePids.add(job.get("pid").asLong());
        JsonNode incident = job.get("incidents").get(0);
        assertThat(incident.get("pid").asLong()).isEqualTo(pid);
        assertThat(incident.get("kind").asText()).isEqualTo("HUNG");
        assertThat(incident.get("reason").asText()).contains("stopped");
        assertThat(Files.readString(Path.of(incident.get("evidence").asText()))).contains("HUNG")
                .contains("process state: T");
        assertThat(job.get("statistics").get("failures").asInt()).isPositive();
        // the logical job's availability as its coordinator counts it: the hang was an outage, a new process a restart
        JsonNode availability = await().atMost(Duration.ofSeconds(10)).until(() -> json.readTree(http.send(cluster,
                HttpResponse.BodyHandlers.ofString()).body()).get("monitors").get(0).get("jobs")
                .get(job.get("spec").get("name").asText()), a -> a != null && a.get("outages").asInt() >= 1
                        && a.get("up").asBoolean());
        assertThat(availability.get("restarts").asInt()).isPositive();
        assertThat(availability.get("downMillis").asLong()).as("down from the SIGSTOP until it served again")
                .isGreaterThan(2_000);
        assertThat(availability.get("lastHourAvailabilityPercent").asDouble()).isLessThan(100.0);
        String page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (port + 1)
                + "/HostPublisher/hpadmin/cluster")).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("availability-chart").contains("MTTR").contains("HUNG");
    }

    private static JsonNode jettyJob(JsonNode cluster) {
        for (JsonNode agent : cluster.get("agents")) {
            for (JsonNode job : agent.get("jobs")) {
                if (job.get("spec").get("name").asText().startsWith("jetty/")) {
                    return job;
                }
            }
        }
        return null;
    }

    /**
     * The admin's "graceful shutdown" of a clone that the cluster supervises stops its job (held by the coordinator),
     * rather than ending a JVM its agent would count as failed and start again; unconfirmed, it is refused.
     */
    private static void shutdownOfASupervisedCloneStopsItsJob(HttpClient http, String auth, String base)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode instances = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base
                + "/hpadmin/api/instances")).header("Authorization", auth).build(), HttpResponse.BodyHandlers
                .ofString()).body()).get("instances");
        JsonNode tomcat = null;
        for (JsonNode instance : instances) {
            if (instance.get("name").asText().startsWith("tomcat-")) {
                tomcat = instance;
            }
        }
        assertThat(tomcat).as(instances.toString()).isNotNull();
        String path = "/hpadmin/api/instances/" + tomcat.get("name").asText() + "/shutdown";
        HttpResponse<String> unconfirmed = post(http, auth, base, path);
        assertThat(unconfirmed.statusCode()).as(unconfirmed.body()).isEqualTo(400);
        assertThat(unconfirmed.body()).contains("confirm");
        HttpResponse<String> confirmed = post(http, auth, base, path + "?confirm=yes");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.body()).contains("is job tomcat/clone-1").contains("held stopped");
        long pid = tomcat.get("pid").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        HttpRequest cluster = HttpRequest.newBuilder(URI.create(base + "/hpadmin/api/cluster"))
                .header("Authorization", auth).build();
        // held: no tomcat job runs again (the agent's back-off would have started it within a second or two)
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode now = json.readTree(http.send(cluster, HttpResponse.BodyHandlers.ofString()).body());
            assertThat(now.get("monitors").get(0).get("operator").get("heldJobs").toString())
                    .contains("tomcat/clone-1");
            assertThat(now.get("agents").get(0).get("jobs").toString()).doesNotContain("tomcat/clone-1");
        });
    }

    /**
     * The cluster page's shutdown (POST, CSRF, confirmed) of the whole demo installation, then {@code hpctl cluster
     * shutdown} waiting for it: every clone, the coordinator and the demo's own agent stop, and the demo exits 0.
     */
    private static void shutdownOfTheInstallationEndsTheDemo(HttpClient http, String auth, String base, Path script,
            Process demo, Path out, List<Long> clonePids) throws Exception {
        HttpResponse<String> unconfirmed = post(http, auth, base, "/hpadmin/api/cluster/shutdown?scope=all");
        assertThat(unconfirmed.statusCode()).as(unconfirmed.body()).isEqualTo(400);
        HttpResponse<String> badScope = post(http, auth, base, "/hpadmin/api/cluster/shutdown?scope=local&confirm=yes");
        assertThat(badScope.statusCode()).as(badScope.body()).isEqualTo(400);
        assertThat(badScope.body()).contains("is a node");
        HttpResponse<String> ordered = post(http, auth, base, "/hpadmin/api/cluster/shutdown?scope=all&confirm=yes");
        assertThat(ordered.statusCode()).as(ordered.body()).isEqualTo(200);
        assertThat(ordered.body()).contains("shutdown of the whole installation");

        Path home = out.getParent().resolve("demo-home");
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "cluster", "shutdown", "--wait", "60")
                .redirectErrorStream(true);
        builder.environment().put("HOSTPUB_HOME", home.toString());
        Process shutdown = builder.start();
        String said = new String(shutdown.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shutdown.waitFor()).as(said).isZero();
        assertThat(said).contains("shut down: nothing of all runs");
        assertThat(demo.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("the demo exits").isTrue();
        assertThat(demo.exitValue()).as(Files.readString(out)).isZero();
        assertThat(Files.readString(out)).contains("the installation was shut down");
        assertThat(clonePids.stream().filter(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)))
                .as("clones").isEmpty();
    }

    /**
     * The demo's read-only login it prints: it reads what the administrator reads, its change is refused and the
     * refusal is in the machine's audit journal.
     */
    private static void readOnlyLoginAndAudit(HttpClient http, String printed, String base) throws Exception {
        Matcher viewer = Pattern.compile("read only:\\s+(\\S+) / (\\S+)").matcher(printed);
        assertThat(viewer.find()).as(printed).isTrue();
        String auth = "Basic " + Base64.getEncoder().encodeToString((viewer.group(1) + ":" + viewer.group(2))
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base + "/hpadmin/api/instances"))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        String token = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base
                + "/hpadmin/api/csrf")).header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString())
                .body()).get("token").asText();
        HttpResponse<String> change = http.send(HttpRequest.newBuilder(URI.create(base
                + "/hpadmin/api/cluster/drain?node=local")).header("Authorization", auth).header("X-CSRF-Token", token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(change.statusCode()).as(change.body()).isEqualTo(403);
        JsonNode audit = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base
                + "/hpadmin/api/audit?user=" + viewer.group(1))).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(audit.get("records").get(0).get("action").asText()).isEqualTo("cluster drain");
        assertThat(audit.get("records").get(0).get("result").asText()).startsWith("refused 403");
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
        // a real browser shows the cluster page while the job is held stopped; started over the API, the job appears
        // on the page by itself (no reload), and the page's tree is the site's picture of it
        BrowserCheck.loggedIn(base, user, password, driver -> {
            var js = (org.openqa.selenium.JavascriptExecutor) driver;
            var wait = new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(90))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class); // the live swap replaces them
            driver.get(base + "/hpadmin/cluster");
            wait.until(d -> d.findElement(org.openqa.selenium.By.id("live-status")).getText().equals("live"));
            js.executeScript("window.notReloaded = true;");
            HttpResponse<String> start = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/hpadmin/api/cluster/start-job?job=tomcat/clone-1")).header("Authorization", auth)
                    .header(csrf.get("header").asText(), csrf.get("token").asText())
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
            wait.until(d -> d.findElements(org.openqa.selenium.By.cssSelector("#jobs tr.job")).stream()
                    .anyMatch(row -> row.getText().contains("tomcat/clone-1") && row.getText().contains("RUNNING")));
            assertThat(js.executeScript("return window.notReloaded === true")).as("updated in place").isEqualTo(true);
            wait.until(d -> d.findElements(org.openqa.selenium.By.cssSelector("svg#tree g.node")).size() == 4);
            Path shots = Path.of("target", "screenshots");
            Files.createDirectories(shots);
            Files.copy(((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(
                    org.openqa.selenium.OutputType.FILE).toPath(), shots.resolve("cluster-page.png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(shots.resolve("cluster-page.png"))).isPositive();
        });
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
            JsonNode now = json.readTree(http.send(cluster, HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode job : now.get("agents").get(0).get("jobs")) {
                // healthy, not only RUNNING: the next step asks this clone (a started JVM serves seconds later)
                if (job.get("spec").get("name").asText().equals("tomcat/clone-1")
                        && job.get("state").asText().equals("RUNNING") && job.get("healthy").asBoolean()) {
                    clonePids.add(job.get("pid").asLong());
                    return true;
                }
            }
            return false;
        });
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base
                + "/hpadmin/api/cluster/stop-job?job=nope/clone-1")).header("Authorization", auth)
                .header(csrf.get("header").asText(), csrf.get("token").asText())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }
}
