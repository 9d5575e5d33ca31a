package io.hostpub.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.admin.api.model.Role;
import io.hostpub.testing.CloneProcess;
import io.hostpub.testing.Containers.ContainerClone;
import io.hostpub.testing.Containers.Distribution;
import io.hostpub.testing.Containers;
import io.hostpub.testing.FreePorts;
import io.hostpub.testing.TestMachine;
import io.hostpub.testing.TestPasswords;
import java.io.IOException;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.htmlunit.Page;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTableRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HostPublisher.war in four real container distributions on one machine (2 Jetty 12.1, Tomcat 10.1, Tomcat 11),
 * administered through their /hpadmin pages and API with HtmlUnit and plain HTTP.
 */
class AdminWebTest {

    static final String PASSWORD = "correct-horse-battery";
    static final String VIEWER = "auditor";
    static final String VIEWER_PASSWORD = "read-only-eyes";

    @TempDir
    static Path home;

    static TestMachine machine;
    static final List<ContainerClone> clones = new ArrayList<>();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startClones() {
        machine = new TestMachine(home, "<hostpub><licenseLimit>40</licenseLimit>" + TestPasswords.configElement(PASSWORD)
                + "<viewerUser>" + VIEWER + "</viewerUser><viewerPasswordHash>" + TestPasswords.hashOf(VIEWER_PASSWORD)
                + "</viewerPasswordHash></hostpub>");
        for (Distribution distribution : List.of(Distribution.JETTY_12, Distribution.JETTY_12, Distribution.TOMCAT_10,
                Distribution.TOMCAT_11)) {
            clones.add(Containers.start(machine, distribution));
        }
    }

    /**
     * Every test starts from the same machine, whatever ran before it: a clone that died (the supervisor test kills
     * one) is started again on its port; then all four are registered under one supervisor, and traffic through the
     * sample application has opened licensed connections in every clone.
     */
    @BeforeEach
    void theMachineIsWhole() {
        for (int i = 0; i < clones.size(); i++) {
            ContainerClone clone = clones.get(i);
            if (!clone.process().isAlive()) {
                clones.set(i, Containers.start(machine, clone.distribution(), clone.httpPort(),
                        List.of(Containers.war()), List.of()));
            }
        }
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(machine::view,
                view -> view.instances().size() == 4 && view.instances().stream()
                        .filter(i -> i.role() == Role.SUPERVISOR).count() == 1);
        for (ContainerClone clone : clones) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> get(clone.url("/app/query"), null).statusCode() == 200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> machine.view().instances().stream()
                .allMatch(i -> i.licensesInUse() > 0));
    }

    @AfterAll
    static void stop() {
        if (machine != null) {
            machine.close();
        }
    }

    static HttpResponse<String> get(String url, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic("admin", PASSWORD));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> anonymous(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String url, Map<String, String> form, String csrf)
            throws IOException, InterruptedException {
        return postAs("admin", PASSWORD, url, form, csrf);
    }

    static HttpResponse<String> postAs(String user, String password, String url, Map<String, String> form,
            String csrf) throws IOException, InterruptedException {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic(user, password))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static ContainerClone cloneOf(String instance) {
        return clones.stream().filter(c -> c.instanceName().equals(instance)).findFirst().orElseThrow();
    }

    static List<HtmlTableRow> instanceRows(HtmlPage page) {
        return page.getHtmlElementById("instances").getElementsByTagName("tr").stream()
                .filter(row -> row.getParentNode().getNodeName().equals("tbody")).map(HtmlTableRow.class::cast).toList();
    }

    @Test
    void anonymousRequestsGet401OnPagesAndApi() throws Exception {
        ContainerClone clone = clones.get(0);
        HttpResponse<String> page = anonymous(clone.url("/hpadmin/"));
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.body()).contains("id=\"login\"");
        HttpResponse<String> api = anonymous(clone.url("/hpadmin/api/instances"));
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(json.readTree(api.body()).get("status").asInt()).isEqualTo(401);
        HttpRequest wrong = HttpRequest.newBuilder(URI.create(clone.url("/hpadmin/api/instances")))
                .header("Authorization", basic("admin", "not-the-password")).build();
        assertThat(http.send(wrong, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(anonymous(clone.url("/hpadmin/instance?name=x")).statusCode()).isEqualTo(401);
    }

    @Test
    void theInstanceListShowsAllFourWithExactlyOneSupervisor() throws Exception {
        try (AdminBrowser browser = new AdminBrowser()) {
            HtmlPage list = browser.login(clones.get(2).url(""), "admin", PASSWORD);
            List<HtmlTableRow> rows = instanceRows(list);
            assertThat(rows).hasSize(4);
            assertThat(rows.stream().filter(r -> r.getCell(1).asNormalizedText().startsWith("SUPERVISOR"))).hasSize(1);
            assertThat(rows.stream().map(r -> r.getCell(0).asNormalizedText()))
                    .containsExactlyInAnyOrderElementsOf(clones.stream().map(ContainerClone::instanceName).toList());
            assertThat(rows.stream().map(r -> r.getCell(4).asNormalizedText()))
                    .anyMatch(c -> c.startsWith("Jetty 12.1"))
                    .anyMatch(c -> c.startsWith("Tomcat 10.1"))
                    .anyMatch(c -> c.startsWith("Tomcat 11.0"));
            MachineView view = machine.view();
            assertThat(list.getHtmlElementById("licenses-in-use").asNormalizedText())
                    .isEqualTo(String.valueOf(view.licenses().inUse()));
            assertThat(list.getHtmlElementById("licenses-limit").asNormalizedText()).isEqualTo("40");
            assertThat(browser.alerts()).isEmpty();
        }
    }

    @Test
    void eachInstanceOpenedThroughAnotherClonesPortShowsItsOwnPid() throws Exception {
        try (AdminBrowser browser = new AdminBrowser()) {
            browser.login(clones.get(0).url(""), "admin", PASSWORD);
            for (int i = 0; i < clones.size(); i++) {
                ContainerClone target = clones.get(i);
                ContainerClone via = clones.get((i + 1) % clones.size());
                HtmlPage detail = browser.page(via.url("/hpadmin/instance?name=" + target.instanceName()));
                assertThat(detail.getWebResponse().getStatusCode()).isEqualTo(200);
                assertThat(detail.getHtmlElementById("pid").asNormalizedText())
                        .as("pid of %s shown by %s", target.instanceName(), via.instanceName())
                        .isEqualTo(String.valueOf(target.process().pid()));
                assertThat(detail.getHtmlElementById("applications").asNormalizedText()).contains("/HostPublisher");
                assertThat(detail.getHtmlElementById("container").asNormalizedText())
                        .startsWith(target.distribution() == Distribution.JETTY_12 ? "Jetty" : "Tomcat");
            }
        }
    }

    @Test
    void apiJsonIsWhatHpctlPrintsAndXmlOnRequest() throws Exception {
        ContainerClone clone = clones.get(3);
        HttpResponse<String> api = get(clone.url("/hpadmin/api/instances"), null);
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode fromApi = json.readTree(api.body());
        JsonNode fromCli = json.readTree(hpctl("instances", "--json"));
        assertThat(withoutUptimes(fromApi)).isEqualTo(withoutUptimes(fromCli));
        assertThat(fromApi.get("instances")).hasSize(4);

        HttpResponse<String> xml = get(clone.url("/hpadmin/api/instances"), "application/xml");
        assertThat(xml.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/xml");
        assertThat(xml.body()).contains("<machine>").contains("<supervisor>" + fromApi.get("supervisor").asText())
                .contains("<inUse>");
        HttpResponse<String> detail = get(clone.url("/hpadmin/api/instances/" + clones.get(0).instanceName()),
                "application/xml");
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.body()).contains("<pid>" + clones.get(0).process().pid() + "</pid>")
                .contains("<contextPath>/HostPublisher</contextPath>").contains("<pool>");
    }

    private static JsonNode withoutUptimes(JsonNode view) {
        JsonNode copy = view.deepCopy();
        copy.get("instances").forEach(i -> ((ObjectNode) i).remove("uptimeMs"));
        return copy;
    }

    private static String hpctl(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("hostpub.it.hpctlJar")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dhostpub.supervisorPort=" + machine.port(), "-Dhostpub.home=" + machine.home(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "hpctl", ".out");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return Files.readString(out);
    }

    @Test
    void unknownInstancesAre404AndBadMachinesAreReportedNotThrown() throws Exception {
        ContainerClone clone = clones.get(1);
        HttpResponse<String> unknown = get(clone.url("/hpadmin/api/instances/no-such-instance"), null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).get("error").asText()).contains("no-such-instance");
        assertThat(get(clone.url("/hpadmin/api/instances?machine=bad%20host!"), null).statusCode()).isEqualTo(400);

        try (AdminBrowser browser = new AdminBrowser()) {
            browser.login(clone.url(""), "admin", PASSWORD);
            HtmlPage missing = browser.page(clone.url("/hpadmin/instance?name=no-such-instance"));
            assertThat(missing.getWebResponse().getStatusCode()).isEqualTo(404);
            assertThat(missing.getHtmlElementById("failure").asNormalizedText()).contains("no instance named");

            HtmlPage bad = browser.page(clone.url("/hpadmin/?host=" + URLEncoder.encode("bad host!", StandardCharsets.UTF_8)
                    + "&port=99999"));
            assertThat(bad.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(bad.getHtmlElementById("host-error").asNormalizedText()).contains("host name or an IP address");
            assertThat(bad.getHtmlElementById("port-error").asNormalizedText()).contains("65535");
            assertThat(bad.getElementById("instances")).isNull();

            int nobody = FreePorts.next();
            HtmlPage unreachable = browser.page(clone.url("/hpadmin/?host=127.0.0.1&port=" + nobody));
            assertThat(unreachable.getWebResponse().getStatusCode()).isEqualTo(503);
            assertThat(unreachable.getHtmlElementById("failure").asNormalizedText())
                    .contains("has no supervisor").doesNotContain("Exception");
            assertThat(unreachable.asXml()).doesNotContain("at io.hostpub").doesNotContain("at java.");
        }
    }

    @Test
    void stateChangesNeedPostAndACsrfToken() throws Exception {
        ContainerClone clone = clones.get(0);
        String target = clones.get(1).instanceName();
        String action = clone.url("/hpadmin/api/instances/" + target + "/set-log-level");
        Map<String, String> form = Map.of("logger", "io.hostpub.test", "level", "FINE");
        HttpResponse<String> withoutToken = post(action, form, null);
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(post(action, form, "1999999999.forged").statusCode()).isEqualTo(403);

        String token = json.readTree(get(clone.url("/hpadmin/api/csrf"), null).body()).get("token").asText();
        HttpResponse<String> withToken = post(action, form, token);
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(200);
        // the token is signed with the installation's key, so another clone accepts it too
        HttpResponse<String> elsewhere = post(clones.get(2).url("/hpadmin/api/instances/" + target + "/set-log-level"),
                form, token);
        assertThat(elsewhere.statusCode()).isEqualTo(200);
        assertThat(get(clone.url("/hpadmin/api/instances/" + target), null).body()).contains("io.hostpub.test");

        // the page form without its hidden token
        try (AdminBrowser browser = new AdminBrowser()) {
            browser.login(clone.url(""), "admin", PASSWORD);
            HtmlPage detail = browser.page(clone.url("/hpadmin/instance?name=" + target));
            DomElement tokenField = detail.getHtmlElementById("log-level").getOneHtmlElementByAttribute("input", "name",
                    "_csrf");
            tokenField.remove();
            Page answer = detail.getHtmlElementById("log-level").getOneHtmlElementByAttribute("button", "type", "submit")
                    .click();
            assertThat(answer.getWebResponse().getStatusCode()).isEqualTo(403);
        }
        // GET cannot change state
        assertThat(get(action + "?logger=x&level=FINE", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aHostileInstanceNameIsRenderedEscaped() throws Exception {
        String hostile = "<img src=x onerror=alert(1)>\"'&";
        CloneProcess bare = machine.startRuntime(hostile, 0);
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> machine.view().instances().stream()
                    .anyMatch(i -> i.name().equals(hostile)));
            try (AdminBrowser browser = new AdminBrowser()) {
                HtmlPage list = browser.login(clones.get(0).url(""), "admin", PASSWORD);
                String html = list.getWebResponse().getContentAsString();
                assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain(hostile);
                assertThat(instanceRows(list).stream().map(r -> r.getCell(0).asNormalizedText())).contains(hostile);
                HtmlPage detail = browser.page(clones.get(0).url("/hpadmin/instance?name="
                        + URLEncoder.encode(hostile, StandardCharsets.UTF_8)));
                assertThat(detail.getWebResponse().getContentAsString()).doesNotContain(hostile);
                assertThat(browser.alerts()).isEmpty();
            }
        } finally {
            bare.stop();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> machine.view().instances().size() == 4);
        }
    }

    @Test
    void deletingAConnectionRemovesItFromThePool() throws Exception {
        ContainerClone target = clones.get(3);
        ContainerClone via = clones.get(0);
        try (AdminBrowser browser = new AdminBrowser()) {
            browser.login(via.url(""), "admin", PASSWORD);
            HtmlPage detail = browser.page(via.url("/hpadmin/instance?name=" + target.instanceName()));
            List<HtmlTableRow> connections = detail.getByXPath("//tr[@class='connection']");
            assertThat(connections).isNotEmpty();
            String id = connections.get(0).getAttribute("data-id");
            HtmlButton delete = connections.get(0).getOneHtmlElementByAttribute("button", "class", "delete-connection");
            HtmlPage after = delete.click();
            assertThat(after.getWebResponse().getStatusCode()).isEqualTo(200);
            assertThat(after.getHtmlElementById("done").asNormalizedText()).contains("connection #" + id);
            List<HtmlTableRow> remaining = after.getByXPath("//tr[@class='connection']");
            assertThat(remaining.stream().map(r -> r.getAttribute("data-id"))).doesNotContain(id);
            // the pool's checks from the page: a healthy database, so nothing failed and nothing to delete (a database
            // that goes away: PoolTest, through the same RMI calls)
            HtmlPage checked = after.getFirstByXPath("//button[@class='validate-pool']") instanceof HtmlButton b
                    ? b.click() : null;
            assertThat(checked.getHtmlElementById("done").asNormalizedText()).contains("0 failed connection(s)");
            HtmlPage cleaned = ((HtmlButton) checked.getFirstByXPath("//button[@class='delete-failed-connections']"))
                    .click();
            assertThat(cleaned.getHtmlElementById("done").asNormalizedText())
                    .contains("0 failed connection(s) of pool sample deleted");
        }
    }

    static HttpResponse<String> raw(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyEndpointRefusesAnonymousCsrfLessOverlongAndMalformedRequests() throws Exception {
        String target = clones.get(1).instanceName();
        List<String> reads = List.of("/hpadmin/", "/hpadmin/instance?name=" + target, "/hpadmin/threads?name=" + target,
                "/hpadmin/cluster", "/hpadmin/api/instances", "/hpadmin/api/instances/" + target,
                "/hpadmin/api/instances/" + target + "/threads", "/hpadmin/api/csrf", "/hpadmin/api/cluster");
        List<String> writes = writes(target);
        String longName = "x".repeat(10_000);
        String longValue = "y".repeat(100_000);
        // one Jetty and one Tomcat clone answer every hostile request
        for (ContainerClone clone : List.of(clones.get(0), clones.get(3))) {
            String token = json.readTree(get(clone.url("/hpadmin/api/csrf"), null).body()).get("token").asText();
            for (String path : reads) {
                URI uri = URI.create(clone.url(path));
                assertThat(anonymous(uri.toString()).statusCode()).as("anonymous GET %s", path).isEqualTo(401);
                assertThat(raw(HttpRequest.newBuilder(uri).header("Authorization", "Basic !!not-base64!!"))
                        .statusCode()).as("malformed credentials on %s", path).isEqualTo(401);
                assertThat(raw(HttpRequest.newBuilder(uri).header("Authorization", basic("admin", "wrong")))
                        .statusCode()).as("wrong password on %s", path).isEqualTo(401);
            }
            for (String path : writes) {
                URI uri = URI.create(clone.url(path));
                HttpRequest.Builder anonymousPost = HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("name=" + target));
                assertThat(raw(anonymousPost).statusCode()).as("anonymous POST %s", path).isEqualTo(401);
                Map<String, String> form = Map.of("name", target, "logger", "a", "level", "FINE", "pool", "p",
                        "connectionId", "1", "job", "jetty/1", "node", "local", "op", "drain");
                assertThat(post(clone.url(path), form, null).statusCode()).as("POST %s without a token", path)
                        .isEqualTo(403);
                assertThat(post(clone.url(path), form, token + "0").statusCode()).as("POST %s with a forged token",
                        path).isEqualTo(403);
                assertThat(get(clone.url(path), null).statusCode()).as("GET of %s", path).isIn(404, 405);
            }
            // over-long: names, query strings, headers and bodies are refused with a 4xx, never a 5xx or a hang
            assertClientError(get(clone.url("/hpadmin/api/instances/" + longName), null), "10,000-character name");
            assertClientError(get(clone.url("/hpadmin/instance?name=" + longName), null), "10,000-character query");
            assertClientError(get(clone.url("/hpadmin/api/instances?filler=" + longValue), null), "100 KB query");
            assertClientError(raw(HttpRequest.newBuilder(URI.create(clone.url("/hpadmin/api/instances")))
                    .header("Authorization", basic("admin", PASSWORD)).header("X-Filler", longValue)), "100 KB header");
            assertThat(rawPostStatus(clone, "/hpadmin/api/instances/" + target + "/set-log-level",
                    "level=FINE&logger=" + "z".repeat(3_000_000), token)).as("3 MB form").isBetween(400, 499);
            assertClientError(post(clone.url("/hpadmin/api/instances/" + target + "/set-log-level"),
                    Map.of("logger", longName, "level", "FINE"), token), "10,000-character logger");
            // malformed: bad escapes, control characters, traversal, wrong types and values
            for (String path : List.of("/hpadmin/api/instances/%zz", "/hpadmin/api/instances/a%00b",
                    "/hpadmin/api/instances/..%2F..%2Fetc", "/hpadmin/instance?name=%zz",
                    "/hpadmin/instance?name=a%00b", "/hpadmin/threads?name=", "/hpadmin/api/instances/" + target
                            + "/nope", "/hpadmin/api/nope", "/hpadmin/api/cluster?locate=%E0%A4%A")) {
                // sent over a plain socket: an HTTP client refuses to send a malformed URI at all
                assertThat(rawGetStatus(clone, path)).as("GET %s", path).isBetween(400, 499);
            }
            String action = clone.url("/hpadmin/api/instances/" + target);
            assertClientError(post(action + "/set-log-level", Map.of("logger", "a", "level", "NOPE"), token),
                    "unknown level");
            assertClientError(post(action + "/set-log-level", Map.of("logger", "a"), token), "missing level");
            assertClientError(post(action + "/delete-connection", Map.of("pool", "p", "connectionId", "1e9x"), token),
                    "non-numeric connection id");
            assertClientError(post(clone.url("/hpadmin/api/cluster/stop-job"), Map.of("job", "../../x"), token),
                    "malformed job name");
            assertClientError(raw(HttpRequest.newBuilder(URI.create(action + "/set-log-level"))
                    .header("Authorization", basic("admin", PASSWORD)).header("X-CSRF-Token", token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"level\":"))),
                    "a JSON body where a form is expected");
        }
        // and every instance is still there, none shut down
        assertThat(machine.view().instances()).hasSize(4);
    }

    /** Every POST endpoint of /hpadmin that changes something, aimed at {@code target}. */
    static List<String> writes(String target) {
        List<String> writes = new ArrayList<>(List.of("/hpadmin/action", "/hpadmin/cluster"));
        for (String action : List.of("set-log-level", "delete-connection", "soft-evict-pool", "validate-pool",
                "delete-failed-connections", "shutdown")) {
            writes.add("/hpadmin/api/instances/" + target + "/" + action);
        }
        for (String op : List.of("stop-job", "start-job", "drain", "undrain", "shutdown", "start", "abort-rollout")) {
            writes.add("/hpadmin/api/cluster/" + op);
        }
        return writes;
    }

    /**
     * The read-only role: a viewer reads every page and GET endpoint an administrator reads, and every change it
     * sends, with a valid CSRF token and every parameter an administrator would give, is refused with 403 and changes
     * nothing; its pages show no action buttons. The same requests from the administrator go through (so the refusal
     * is the role's, not a broken request's).
     */
    @Test
    void aViewerReadsEverythingAndIsRefusedEveryChange() throws Exception {
        ContainerClone target = clones.get(2);
        String logger = "io.hostpub.viewer." + System.nanoTime();
        for (ContainerClone clone : List.of(clones.get(0), clones.get(3))) {
            for (String path : List.of("/hpadmin/", "/hpadmin/instance?name=" + target.instanceName(),
                    "/hpadmin/threads?name=" + target.instanceName(), "/hpadmin/api/instances",
                    "/hpadmin/api/instances/" + target.instanceName(), "/hpadmin/api/csrf", "/hpadmin/metrics",
                    "/hpadmin/api/sd")) {
                HttpResponse<String> read = raw(HttpRequest.newBuilder(URI.create(clone.url(path)))
                        .header("Authorization", basic(VIEWER, VIEWER_PASSWORD)));
                assertThat(read.statusCode()).as("viewer GET %s: %s", path, read.body()).isEqualTo(200);
            }
            HttpResponse<String> csrf = raw(HttpRequest.newBuilder(URI.create(clone.url("/hpadmin/api/csrf")))
                    .header("Authorization", basic(VIEWER, VIEWER_PASSWORD)));
            String token = json.readTree(csrf.body()).get("token").asText();
            List<Map<String, String>> connections = connections(clone, target);
            for (String path : writes(target.instanceName())) {
                Map<String, String> form = Map.of("name", target.instanceName(), "action", "set-log-level", "logger",
                        logger, "level", "FINE", "pool", connections.get(0).get("pool"), "connection",
                        connections.get(0).get("id"), "confirm", "yes", "op", "drain");
                HttpResponse<String> refused = postAs(VIEWER, VIEWER_PASSWORD, clone.url(path), form, token);
                assertThat(refused.statusCode()).as("viewer POST %s: %s", path, refused.body()).isEqualTo(403);
                assertThat(refused.body()).as("viewer POST %s", path).contains("read-only role");
            }
            assertThat(get(clone.url("/hpadmin/api/instances/" + target.instanceName()), null).body())
                    .doesNotContain(logger);
        }
        assertThat(machine.view().instances()).as("nothing shut down").hasSize(4);
        // the administrator's same request goes through
        String adminToken = json.readTree(get(clones.get(0).url("/hpadmin/api/csrf"), null).body()).get("token")
                .asText();
        assertThat(post(clones.get(0).url("/hpadmin/api/instances/" + target.instanceName() + "/set-log-level"),
                Map.of("logger", logger, "level", "FINE"), adminToken).statusCode()).isEqualTo(200);
        // the pages: everything readable, no action buttons but the logout, the role said
        try (AdminBrowser browser = new AdminBrowser()) {
            HtmlPage list = browser.login(clones.get(3).url(""), VIEWER, VIEWER_PASSWORD);
            assertThat(list.getHtmlElementById("read-only").asNormalizedText()).contains("viewer");
            assertThat(instanceRows(list)).hasSize(4);
            HtmlPage detail = browser.page(clones.get(3).url("/hpadmin/instance?name=" + target.instanceName()));
            assertThat(detail.getWebResponse().getStatusCode()).isEqualTo(200);
            assertThat(detail.getByXPath("//tr[@class='connection']")).isNotEmpty();
            assertThat(detail.getByXPath("//form[@method='post']")).as("post forms on a viewer's page").hasSize(1);
            assertThat(detail.getHtmlElementById("no-actions").asNormalizedText()).contains("read-only");
        }
    }

    /**
     * The audit journal: an administrator's change is recorded before it runs and with its outcome, a forged one as
     * refused, a viewer's as refused; no secret reaches the file; the API and the page show it and the chain verifies;
     * a full disk under the journal refuses the change, which then does not happen.
     */
    @Test
    void everyChangeIsAuditedAndOneThatCannotBeIsNotMade() throws Exception {
        ContainerClone via = clones.get(1);
        String target = clones.get(3).instanceName();
        String action = via.url("/hpadmin/api/instances/" + target + "/set-log-level");
        String logger = "io.hostpub.audited." + System.nanoTime();
        String token = json.readTree(get(via.url("/hpadmin/api/csrf"), null).body()).get("token").asText();
        assertThat(post(action, Map.of("logger", logger, "level", "FINE"), token).statusCode()).isEqualTo(200);
        assertThat(post(action, Map.of("logger", logger, "level", "FINEST"), token + "0").statusCode()).isEqualTo(403);
        HttpResponse<String> viewer = raw(HttpRequest.newBuilder(URI.create(via.url("/hpadmin/api/csrf")))
                .header("Authorization", basic(VIEWER, VIEWER_PASSWORD)));
        assertThat(postAs(VIEWER, VIEWER_PASSWORD, action, Map.of("logger", logger, "level", "OFF"), json.readTree(
                viewer.body()).get("token").asText()).statusCode()).isEqualTo(403);

        JsonNode audit = json.readTree(get(via.url("/hpadmin/api/audit?target=" + target + "&limit=4&verify=yes"),
                null).body());
        JsonNode records = audit.get("records");
        assertThat(records).hasSize(4);
        assertThat(records.get(0).get("user").asText()).isEqualTo(VIEWER);
        assertThat(records.get(0).get("role").asText()).isEqualTo("viewer");
        assertThat(records.get(0).get("result").asText()).startsWith("refused 403: user auditor has the read-only");
        assertThat(records.get(1).get("user").asText()).isEqualTo("admin");
        assertThat(records.get(1).get("result").asText()).startsWith("refused 403: missing or invalid CSRF token");
        assertThat(records.get(1).get("arguments").get("level").asText()).isEqualTo("FINEST");
        assertThat(records.get(2).get("result").asText()).isEqualTo("ok 200: log level of '" + logger + "' set to FINE");
        assertThat(records.get(2).get("ref").asLong()).isEqualTo(records.get(3).get("seq").asLong());
        assertThat(records.get(3).get("result").asText()).isEqualTo("requested");
        assertThat(records.get(3).get("action").asText()).isEqualTo("set-log-level");
        assertThat(records.get(3).get("via").asText()).isEqualTo("api");
        assertThat(records.get(3).get("source").asText()).isEqualTo("127.0.0.1");
        assertThat(records.get(3).get("arguments").get("logger").asText()).isEqualTo(logger);
        assertThat(audit.get("verification").get("intact").asBoolean()).as(audit.get("verification").toString())
                .isTrue();
        Path journal = home.resolve("audit").resolve("audit.log");
        assertThat(Files.readString(journal)).doesNotContain(PASSWORD).doesNotContain(VIEWER_PASSWORD)
                .doesNotContain(token).doesNotContain("\"_csrf\":");

        // a full disk: the change is refused, names why, and does not happen
        Path kept = journal.resolveSibling("kept.log");
        Files.move(journal, kept);
        Files.createSymbolicLink(journal, Path.of("/dev/full"));
        try {
            HttpResponse<String> refused = post(action, Map.of("logger", logger + ".full", "level", "FINE"), token);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.body()).contains("No space left on device").contains("was not performed");
            assertThat(get(via.url("/hpadmin/api/instances/" + target), null).body()).doesNotContain(logger + ".full");
        } finally {
            Files.delete(journal);
            Files.move(kept, journal);
        }

        // the page, filtered
        try (AdminBrowser browser = new AdminBrowser()) {
            browser.login(clones.get(0).url(""), "admin", PASSWORD);
            HtmlPage page = browser.page(clones.get(0).url("/hpadmin/audit?action=set-log-level&target=" + target
                    + "&verify=yes"));
            assertThat(page.getHtmlElementById("verification").asNormalizedText()).contains("intact");
            List<String> rows = page.getByXPath("//tr[@class='audit-record']").stream()
                    .map(row -> ((HtmlTableRow) row).asNormalizedText()).toList();
            assertThat(rows).anyMatch(r -> r.contains(logger) && r.contains("ok 200"));
            assertThat(rows).allMatch(r -> r.contains("set-log-level"));
        }
        assertThat(get(via.url("/hpadmin/api/audit?since=yesterday"), null).statusCode()).isEqualTo(400);
        assertThat(get(via.url("/hpadmin/api/audit?limit=0"), null).statusCode()).isEqualTo(400);
    }

    /**
     * The loggers of an instance, with the level set on each and the one in force, in the API and on a page with a
     * filter, where an administrator sets a level per row and a viewer only reads.
     */
    @Test
    void loggersAreListedWithTheirLevelsAndSetFromTheirRow() throws Exception {
        for (ContainerClone target : List.of(clones.get(0), clones.get(2))) {
            String logger = "io.hostpub.listed." + System.nanoTime();
            String token = json.readTree(get(target.url("/hpadmin/api/csrf"), null).body()).get("token").asText();
            assertThat(post(target.url("/hpadmin/api/instances/" + target.instanceName() + "/set-log-level"),
                    Map.of("logger", logger, "level", "FINE"), token).statusCode()).isEqualTo(200);
            JsonNode loggers = json.readTree(get(target.url("/hpadmin/api/instances/" + target.instanceName()
                    + "/loggers"), null).body()).get("loggers");
            assertThat(loggers).anyMatch(l -> l.get("name").asText().isEmpty() && !l.get("effectiveLevel").asText()
                    .isEmpty());
            assertThat(loggers).anyMatch(l -> l.get("name").asText().equals(logger) && l.get("level").asText()
                    .equals("FINE") && l.get("effectiveLevel").asText().equals("FINE"));
            try (AdminBrowser browser = new AdminBrowser()) {
                browser.login(target.url(""), "admin", PASSWORD);
                HtmlPage page = browser.page(target.url("/hpadmin/loggers?name=" + target.instanceName() + "&filter="
                        + logger));
                List<HtmlTableRow> rows = page.getByXPath("//tr[@class='logger']");
                assertThat(rows).hasSize(1);
                assertThat(rows.get(0).getCell(1).asNormalizedText()).isEqualTo("FINE");
                HtmlForm form = rows.get(0).getCell(3).getElementsByTagName("form").get(0) instanceof HtmlForm f ? f
                        : null;
                assertThat(form).isNotNull();
                form.getSelectByName("level").setSelectedAttribute("FINER", true);
                HtmlPage after = form.getOneHtmlElementByAttribute("button", "type", "submit").click();
                assertThat(after.getWebResponse().getStatusCode()).isEqualTo(200);
                assertThat(json.readTree(get(target.url("/hpadmin/api/instances/" + target.instanceName()
                        + "/loggers"), null).body()).get("loggers")).anyMatch(l -> l.get("name").asText()
                        .equals(logger) && l.get("level").asText().equals("FINER"));
            }
            try (AdminBrowser browser = new AdminBrowser()) {
                browser.login(target.url(""), VIEWER, VIEWER_PASSWORD);
                HtmlPage page = browser.page(target.url("/hpadmin/loggers?name=" + target.instanceName()));
                assertThat(page.getByXPath("//tr[@class='logger']")).isNotEmpty();
                assertThat(page.getByXPath("//form[@method='post']")).as("only the logout").hasSize(1);
            }
        }
    }

    /** The pool and number of every connection of {@code target}, read through {@code via}'s API. */
    private static List<Map<String, String>> connections(ContainerClone via, ContainerClone target) throws Exception {
        List<Map<String, String>> found = new ArrayList<>();
        for (var pool : json.readTree(get(via.url("/hpadmin/api/instances/" + target.instanceName()), null).body())
                .get("pools")) {
            for (var connection : pool.get("connections")) {
                found.add(Map.of("pool", pool.get("name").asText(), "id", connection.get("id").asText()));
            }
        }
        return found;
    }

    /** The status line of a GET sent byte for byte, with credentials. */
    private static int rawGetStatus(ContainerClone clone, String path) throws IOException {
        URI base = URI.create(clone.url(""));
        String prefix = contextPath(base);
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            String request = "GET " + prefix + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: " + basic("admin", PASSWORD) + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    /**
     * The status line of a POST sent over a raw socket, the body written on another thread. A server may answer an
     * oversized body from its headers and close the connection while the client still sends; an HTTP client then
     * reports the broken write and loses the answer, so the answer is read here while the body is written.
     */
    private static int rawPostStatus(ContainerClone clone, String path, String form, String csrf) throws Exception {
        URI base = URI.create(clone.url(""));
        String prefix = contextPath(base);
        byte[] body = form.getBytes(StandardCharsets.ISO_8859_1);
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            String head = "POST " + prefix + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: " + basic("admin", PASSWORD) + "\r\nX-CSRF-Token: " + csrf
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n";
            var writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().write(body);
                    socket.getOutputStream().flush();
                } catch (IOException closedEarly) {
                    // the server answered without reading it all: the answer is what counts
                }
            });
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1)).readLine();
            socket.close();
            writer.join();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    /** A logout once only cleared the cookie in that browser: a copy kept working on every clone for 8 hours. */
    @Test
    void aLogoutEndsTheLoginOnEveryCloneOfTheMachine() throws Exception {
        try (AdminBrowser browser = new AdminBrowser()) {
            HtmlPage landed = browser.login(clones.get(0).url(""), "admin", PASSWORD);
            String cookie = "HPADMIN=" + browser.client().getCookieManager().getCookie("HPADMIN").getValue();
            URI elsewhere = URI.create(clones.get(3).url("/hpadmin/"));
            assertThat(raw(HttpRequest.newBuilder(elsewhere).header("Cookie", cookie)).statusCode())
                    .as("the copied cookie on another clone, before the logout").isEqualTo(200);

            HtmlForm logout = landed.getFirstByXPath("//form[contains(@action, '/hpadmin/logout')]");
            HtmlPage after = logout.getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(after.getUrl().toString()).contains("/hpadmin/login");

            for (ContainerClone clone : List.of(clones.get(0), clones.get(3))) {
                HttpResponse<String> reused = raw(HttpRequest.newBuilder(URI.create(clone.url("/hpadmin/")))
                        .header("Cookie", cookie));
                assertThat(reused.statusCode()).as("the old cookie on %s after the logout", clone.distribution())
                        .isEqualTo(401);
            }
        }
    }

    /**
     * The login form with a bad percent-encoding once answered 500, a 150 KB login form too, and a chunked 1 MiB form
     * was parsed by Tomcat far past the 64 KiB limit. All are refused with a 4xx before anything reads them.
     */
    @Test
    void malformedOverlongAndChunkedFormsAreRefusedWith4xx() throws Exception {
        String target = clones.get(1).instanceName();
        for (ContainerClone clone : List.of(clones.get(0), clones.get(3))) {
            URI login = URI.create(clone.url("/hpadmin/login"));
            HttpRequest.Builder badEncoding = HttpRequest.newBuilder(login)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("user=%zz&password=x"));
            assertThat(raw(badEncoding).statusCode()).as("%%zz on the login of %s", clone.distribution())
                    .isEqualTo(400);
            HttpRequest.Builder big = HttpRequest.newBuilder(login)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("user=a&password=" + "p".repeat(150_000)));
            assertThat(raw(big).statusCode()).as("150 KB login form on %s", clone.distribution()).isEqualTo(413);

            String token = json.readTree(get(clone.url("/hpadmin/api/csrf"), null).body()).get("token").asText();
            byte[] form = ("level=FINE&logger=" + "z".repeat(1 << 20)).getBytes(StandardCharsets.US_ASCII);
            HttpRequest.Builder chunked = HttpRequest.newBuilder(URI.create(clone.url("/hpadmin/api/instances/" + target
                    + "/set-log-level"))).header("Authorization", basic("admin", PASSWORD)).header("X-CSRF-Token", token)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(form)));
            // the answer comes before the body has arrived; the race of that answer with the close of the
            // connection lost it once in a CI run and once in 200 tries (a reset), so it runs 20 times
            for (int attempt = 1; attempt <= 20; attempt++) {
                assertThat(raw(chunked).statusCode()).as("chunked 1 MiB form on %s, attempt %d", clone.distribution(),
                        attempt).isEqualTo(411);
            }
        }
    }

    /**
     * Wrong passwords once cost ~2 s of CPU each with no limit, so two clients could keep a clone's cores busy. After
     * {@code FREE_FAILURES} failures for one user from one address the next try is answered 429 with Retry-After
     * without hashing; the real admin is not locked out. Prints the CPU cost of a failed login (the figure).
     */
    @Test
    void wrongPasswordsAreThrottledWithRetryAfterAndCostNoHashWhileThrottled() throws Exception {
        ContainerClone clone = clones.get(0);
        URI api = URI.create(clone.url("/hpadmin/api/instances"));
        long cpuBefore = cpuMillis(clone.process().pid());
        int failures = 0;
        HttpResponse<String> answer;
        do {
            answer = raw(HttpRequest.newBuilder(api).header("Authorization", basic("mallory", "guess-" + failures)));
            if (answer.statusCode() == 401) {
                failures++;
            }
        } while (answer.statusCode() == 401 && failures < 40);
        long cpuPerFailure = (cpuMillis(clone.process().pid()) - cpuBefore) / Math.max(1, failures);
        System.out.println("[login] " + failures + " failed logins before throttling; about " + cpuPerFailure
                + " ms of CPU each on the clone");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v))
                .isPositive());
        assertThat(answer.body()).contains("too many failed logins");
        long cpuThrottled = cpuMillis(clone.process().pid());
        for (int i = 0; i < 20; i++) {
            assertThat(raw(HttpRequest.newBuilder(api).header("Authorization", basic("mallory", "more-" + i)))
                    .statusCode()).isEqualTo(429);
        }
        System.out.println("[login] 20 throttled tries cost " + (cpuMillis(clone.process().pid()) - cpuThrottled)
                + " ms of CPU on the clone in all");
        assertThat(get(api.toString(), null).statusCode()).as("the admin from the same address").isEqualTo(200);
    }

    /** User plus system CPU time of a process, from /proc (clock ticks of 10 ms). */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    /**
     * A refusal does not read the request's body; Jetty then drops a keep-alive connection whose body has not fully
     * arrived with a bare FIN, and a client that pooled it failed its next request ("header parser received no
     * bytes", seen once in a clean-clone CI run). The answer must say {@code Connection: close} instead. The body
     * is held back here so the race always goes the way it went in that run.
     */
    @Test
    void aRefusalWhoseBodyWasNotReadSaysTheConnectionCloses() throws Exception {
        String target = clones.get(1).instanceName();
        for (ContainerClone clone : List.of(clones.get(0), clones.get(3))) {
            String token = json.readTree(get(clone.url("/hpadmin/api/csrf"), null).body()).get("token").asText();
            String shutdown = "/hpadmin/api/instances/" + target + "/shutdown";
            assertThat(headOfUnsentBodyPost(clone, shutdown, null, null)).as("anonymous POST on %s", clone.distribution())
                    .startsWith("HTTP/1.1 401").containsIgnoringCase("\r\nConnection: close\r\n");
            assertThat(headOfUnsentBodyPost(clone, shutdown, basic("admin", "wrong"), null))
                    .as("wrong password on %s", clone.distribution())
                    .startsWith("HTTP/1.1 401").containsIgnoringCase("\r\nConnection: close\r\n");
            assertThat(headOfUnsentBodyPost(clone, shutdown, basic("admin", PASSWORD), token + "0"))
                    .as("forged token on %s", clone.distribution()).startsWith("HTTP/1.1 403")
                    .containsIgnoringCase("\r\nConnection: close\r\n");
        }
    }

    private static String contextPath(URI base) {
        return base.getPath().endsWith("/") ? base.getPath().substring(0, base.getPath().length() - 1) : base.getPath();
    }

    /** Sends a POST's head announcing a body it never sends (a plain-text one, which no form parser reads). */
    private static String headOfUnsentBodyPost(ContainerClone clone, String path, String authorization, String csrf)
            throws IOException {
        URI base = URI.create(clone.url(""));
        String prefix = contextPath(base);
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            String head = "POST " + prefix + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + (authorization != null ? "\r\nAuthorization: " + authorization : "")
                    + (csrf != null ? "\r\nX-CSRF-Token: " + csrf : "")
                    + "\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            StringBuilder answer = new StringBuilder();
            for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
                answer.append(line).append("\r\n");
            }
            return answer.toString();
        }
    }

    private static void assertClientError(HttpResponse<String> answer, String what) {
        assertThat(answer.statusCode()).as("%s: %s", what, answer.body().length() > 300
                ? answer.body().substring(0, 300) : answer.body()).isBetween(400, 499);
    }

    @Test
    void aRealBrowserShowsTheInstanceList() throws Exception {
        Path screenshot = BrowserCheck.screenshotInstanceList(clones.get(1).url(""), "admin", PASSWORD, 4);
        assertThat(screenshot).isRegularFile();
        assertThat(Files.size(screenshot)).isGreaterThan(5_000);
    }

    /**
     * The instance list is live: in a real browser (headless Chromium), an instance that joins appears, and one that
     * leaves moves to the departed list, without a reload (a marker set in the page survives) and within about a
     * second of the machine's registry showing the change (printed as {@code [live]}).
     */
    @Test
    void theInstanceListFollowsJoinsAndDeparturesWithoutAReload() throws Exception {
        ContainerClone via = clones.get(0);
        BrowserCheck.loggedIn(via.url(""), "admin", PASSWORD, driver -> {
            var js = (org.openqa.selenium.JavascriptExecutor) driver;
            var wait = new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(20))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class); // the live swap replaces them
            driver.get(via.url("/hpadmin/"));
            wait.until(d -> d.findElement(org.openqa.selenium.By.id("live-status")).getText().equals("live"));
            js.executeScript("window.notReloaded = true;");
            String joiner = "live-joiner-" + System.nanoTime() % 100_000;
            CloneProcess process = machine.startRuntime(joiner, 0);
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> machine.view()
                        .instances().stream().anyMatch(i -> i.name().equals(joiner)));
                long registered = System.nanoTime();
                wait.until(d -> d.findElement(org.openqa.selenium.By.id("instances")).getText().contains(joiner));
                System.out.printf("[live] a join shown %d ms after the registry had it%n",
                        (System.nanoTime() - registered) / 1_000_000);
                assertThat(js.executeScript("return window.notReloaded === true")).isEqualTo(true);
            } finally {
                process.stop();
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> machine.view()
                    .instances().stream().noneMatch(i -> i.name().equals(joiner)));
            long gone = System.nanoTime();
            wait.until(d -> !d.findElement(org.openqa.selenium.By.id("instances")).getText().contains(joiner)
                    && d.findElement(org.openqa.selenium.By.id("departed")).getText().contains(joiner));
            System.out.printf("[live] a departure shown %d ms after the registry dropped it%n",
                    (System.nanoTime() - gone) / 1_000_000);
            assertThat(js.executeScript("return window.notReloaded === true")).isEqualTo(true);
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> machine.view().instances().size() == 4);
    }

    /**
     * {@code /hpadmin/metrics} in the Prometheus text format and, on request, OpenMetrics, from Jetty and Tomcat
     * clones alike: the machine by role, its license units, this clone's grants and pools, the build; behind the
     * API's authentication. {@code /hpadmin/api/sd} lists every clone as a scrape target with its labels.
     */
    @Test
    void metricsAndServiceDiscoveryDescribeTheMachine() throws Exception {
        for (ContainerClone clone : clones) {
            assertThat(anonymous(clone.url("/hpadmin/metrics")).statusCode()).isEqualTo(401);
            HttpResponse<String> text = get(clone.url("/hpadmin/metrics"), null);
            assertThat(text.statusCode()).as(text.body()).isEqualTo(200);
            assertThat(text.headers().firstValue("Content-Type").orElse("")).matches("text/plain; ?version=0\\.0\\.4.*");
            assertThat(text.body()).as(clone.instanceName())
                    .contains("hostpub_instances{role=\"supervisor\"} 1.0", "hostpub_instances{role=\"subordinate\"} 3.0",
                            "hostpub_license_units_limit 40.0", "hostpub_machine_up 1.0",
                            "hostpub_build_info{version=\"0.1.0-SNAPSHOT\"} 1", "# TYPE hostpub_failover_seconds histogram",
                            "# TYPE hostpub_supervisor_changes_total counter", "hostpub_pool_connections{pool=\"")
                    .containsPattern("hostpub_license_grants_total [1-9]")
                    .containsPattern("hostpub_license_units_in_use [1-9]")
                    .doesNotContain("hostpub_link_probe_seconds"); // the progress probe is off here
            HttpResponse<String> open = get(clone.url("/hpadmin/metrics"), "application/openmetrics-text;"
                    + "version=1.0.0;q=0.9, text/plain;version=0.0.4;q=0.5");
            assertThat(open.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
            assertThat(open.body()).endsWith("# EOF\n").contains("hostpub_supervisor_changes_total");
        }

        HttpResponse<String> sd = get(clones.get(0).url("/hpadmin/api/sd"), null);
        assertThat(sd.statusCode()).as(sd.body()).isEqualTo(200);
        JsonNode groups = json.readTree(sd.body());
        assertThat(groups).hasSize(4);
        for (ContainerClone clone : clones) {
            JsonNode group = java.util.stream.StreamSupport.stream(groups.spliterator(), false)
                    .filter(g -> g.get("targets").get(0).asText().equals("127.0.0.1:" + clone.httpPort()))
                    .findFirst().orElseThrow(() -> new AssertionError(clone + " is no target: " + sd.body()));
            assertThat(group.get("labels").get("instance").asText()).isEqualTo(clone.instanceName());
            assertThat(group.get("labels").get("__meta_hostpub_role").asText()).isIn("supervisor", "subordinate");
            assertThat(group.get("labels").get("__metrics_path__").asText()).isEqualTo("/HostPublisher/hpadmin/metrics");
        }
    }

    /**
     * A JMX client attached to each clone's JVM (the Attach API, as jconsole and VisualVM do) finds its runtime under
     * {@code io.hostpub}, its pool, and on the supervisor the machine's license tally.
     */
    @Test
    void aJmxClientAttachedToEachCloneSeesItsRuntimePoolsAndOnTheSupervisorTheTally() throws Exception {
        String supervisor = machine.view().supervisor();
        for (ContainerClone clone : clones) {
            Jmx.inJvm(clone.process().pid(), connection -> {
                javax.management.ObjectName runtime = new javax.management.ObjectName("io.hostpub:type=Runtime,name="
                        + clone.instanceName());
                assertThat(connection.getAttribute(runtime, "Role")).isEqualTo(
                        clone.instanceName().equals(supervisor) ? "SUPERVISOR" : "SUBORDINATE");
                assertThat(connection.getAttribute(runtime, "Supervisor")).isEqualTo(supervisor);
                assertThat(connection.getAttribute(runtime, "Pid")).isEqualTo(clone.process().pid());
                assertThat(connection.queryNames(new javax.management.ObjectName("io.hostpub:type=Pool,name="
                        + clone.instanceName() + ",*"), null)).isNotEmpty();
                assertThat(connection.queryNames(new javax.management.ObjectName("io.hostpub:type=Licenses,*"), null))
                        .hasSize(clone.instanceName().equals(supervisor) ? 1 : 0);
                return null;
            });
        }
    }

    /**
     * The thread dump is the JVM's own, as {@code jstack -l} prints it (every frame of every thread, the locks), on a
     * page with a way back to the instance, and as text from the API.
     */
    @Test
    void threadDumpsAreCompleteLikeJstackWithAWayBack() throws Exception {
        for (ContainerClone clone : List.of(clones.get(0), clones.get(2))) {
            String name = clone.instanceName();
            HttpResponse<String> text = get(clones.get(1).url("/hpadmin/api/instances/" + name + "/threads"), null);
            assertThat(text.statusCode()).isEqualTo(200);
            assertThat(text.body()).startsWith("Thread dump of " + name).contains("Full thread dump",
                    "java.lang.Thread.State: ", "Locked ownable synchronizers:");
            // no thread is cut short: the deepest stack has more frames than ThreadInfo.toString() printed (8)
            int deepest = 0;
            for (String thread : text.body().split("\n\n")) {
                deepest = Math.max(deepest, (int) thread.lines().filter(l -> l.startsWith("\tat ")).count());
            }
            assertThat(deepest).isGreaterThan(8);
            try (AdminBrowser browser = new AdminBrowser()) {
                browser.login(clones.get(1).url(""), "admin", PASSWORD);
                HtmlPage page = browser.page(clones.get(1).url("/hpadmin/threads?name=" + name));
                assertThat(page.getHtmlElementById("thread-dump").asNormalizedText()).contains("Full thread dump");
                HtmlPage back = page.getHtmlElementById("back-to-instance").click();
                assertThat(back.getUrl().toString()).contains("/hpadmin/instance").contains(name);
            }
        }
    }

    private static double metric(ContainerClone clone, String line) throws Exception {
        return get(clone.url("/hpadmin/metrics"), null).body().lines().filter(l -> l.startsWith(line + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(line.length() + 1))).findFirst().orElse(0);
    }

    @Test
    void killingTheSupervisorElectsAnotherAndTheRestartedCloneRejoins() throws Exception {
        MachineView before = machine.view();
        String supervisor = before.supervisor();
        ContainerClone victim = cloneOf(supervisor);
        int survivorsHold = before.instances().stream().filter(i -> !i.name().equals(supervisor))
                .mapToInt(InstanceSummary::licensesInUse).sum();
        ContainerClone observer = clones.stream().filter(c -> c != victim).findFirst().orElseThrow();
        double changesBefore = metric(observer, "hostpub_supervisor_changes_total");
        double failoversBefore = metric(observer, "hostpub_failover_seconds_count");
        victim.process().kill9();
        try (AdminBrowser browser = new AdminBrowser()) {
            browser.login(observer.url(""), "admin", PASSWORD);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                HtmlPage list = browser.page(observer.url("/hpadmin/"));
                List<HtmlTableRow> rows = instanceRows(list);
                return rows.size() == 3 && rows.stream().filter(r -> r.getCell(1).asNormalizedText()
                        .startsWith("SUPERVISOR")).count() == 1
                        && list.getHtmlElementById("licenses-in-use").asNormalizedText()
                                .equals(String.valueOf(survivorsHold));
            });
            MachineView after = machine.view();
            assertThat(after.supervisor()).isNotEqualTo(supervisor);
            assertThat(after.instances()).extracting(InstanceSummary::role).filteredOn(r -> r == Role.SUPERVISOR)
                    .hasSize(1);
            assertThat(after.licenses().inUse()).isEqualTo(survivorsHold)
                    .isEqualTo(after.instances().stream().mapToInt(InstanceSummary::licensesInUse).sum());
            assertThat(metric(observer, "hostpub_supervisor_changes_total")).as("the survivor counted the change")
                    .isEqualTo(changesBefore + 1);
            assertThat(metric(observer, "hostpub_failover_seconds_count")).isEqualTo(failoversBefore + 1);

            // the killed supervisor is shown as departed, with when it was last seen (the members saw it go)
            long killedPid = victim.process().pid();
            HtmlPage list = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> browser.page(
                    observer.url("/hpadmin/")), page -> page.getByXPath("//tr[@class='departed']").stream()
                            .anyMatch(r -> ((HtmlTableRow) r).getCell(0).asNormalizedText().startsWith(supervisor)));
            HtmlTableRow departed = list.getByXPath("//tr[@class='departed']").stream().map(HtmlTableRow.class::cast)
                    .filter(r -> r.getCell(0).asNormalizedText().startsWith(supervisor)).findFirst().orElseThrow();
            assertThat(departed.getCell(0).asNormalizedText()).contains("(departed)");
            assertThat(java.time.Instant.parse(departed.getCell(2).asNormalizedText())).isAfter(java.time.Instant
                    .now().minusSeconds(120));
            assertThat(departed.getCell(3).asNormalizedText()).contains("departed: supervisor");

            ContainerClone restarted = Containers.start(machine, victim.distribution(), victim.httpPort(),
                    List.of(Containers.war()), List.of());
            clones.set(clones.indexOf(victim), restarted);
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
                List<HtmlTableRow> rows = instanceRows(browser.page(observer.url("/hpadmin/")));
                return rows.size() == 4 && rows.stream().anyMatch(r -> r.getCell(0).asNormalizedText()
                        .equals(victim.instanceName()) && r.getCell(2).asNormalizedText()
                        .equals(String.valueOf(restarted.process().pid())));
            });
            // back under its name: no longer departed; its page shows the events of both its lives
            assertThat(browser.page(observer.url("/hpadmin/")).getByXPath("//tr[@class='departed']").stream()
                    .map(r -> ((HtmlTableRow) r).getCell(0).asNormalizedText())).noneMatch(n -> n.startsWith(
                            supervisor + " "));
            // each runtime appends its events to the machine's journal off its own thread (EventLog), so the new
            // life's first lines land a moment after it registered: the page shows them once they are there
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                HtmlPage detail = browser.page(observer.url("/hpadmin/instance?name=" + victim.instanceName()));
                List<String> pids = detail.getHtmlElementById("events").getElementsByTagName("tr").stream()
                        .filter(r -> r.getParentNode().getNodeName().equals("tbody"))
                        .map(r -> ((HtmlTableRow) r).getCell(1).asNormalizedText()).toList();
                assertThat(pids).contains(String.valueOf(killedPid), String.valueOf(restarted.process().pid()));
            });
        }
    }
}
