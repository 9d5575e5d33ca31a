package io.hostpub.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code hpctl rollout} on the demo's real Tomcat clone: a new version of {@code HostPublisher.war} rolled out (the
 * clone replaced, serving again, its counter resumed from its checkpoint); a WAR that deploys but never serves the
 * health path, aborted over the API while its member is being replaced and rolled back; bad input refused.
 */
final class DemoRollout {

    private final Path script;
    private final Path home;
    private final HttpClient http;
    private final String auth;
    private final String base;

    DemoRollout(Path script, Path home, HttpClient http, String auth, String base) {
        this.script = script;
        this.home = home;
        this.http = http;
        this.auth = auth;
        this.base = base;
    }

    void run(Path war, int tomcatPort) throws Exception {
        long began = System.nanoTime();
        Result good = hpctl("rollout", "tomcat", "--war", war.toString(), "--wait", "180");
        long millis = (System.nanoTime() - began) / 1_000_000;
        assertThat(good.exit).as(good.said).isZero();
        assertThat(good.said).contains("version plan -> 0001").contains("tomcat/clone-1")
                .contains("COMPLETED: every member serves version 0001");
        System.out.printf("[rollout] hpctl rollout of the demo's Tomcat clone (1 member, real Tomcat 11 and"
                + " HostPublisher.war): replaced and serving in %d ms%n", millis);
        assertThat(home.resolve("wars/tomcat/tomcat##0001.war")).exists();
        assertThat(job("tomcat/clone-1").get("spec").get("version").asText()).isEqualTo("0001");
        assertThat(health(tomcatPort)).isEqualTo(200);

        // a WAR that deploys but has no hostpub runtime: never healthy; aborted while its member is replaced
        Path empty = Files.createTempFile(home, "empty", ".war");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(empty))) {
            zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            zip.write(("<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\"/>")
                    .getBytes(StandardCharsets.UTF_8));
        }
        Result started = hpctl("rollout", "tomcat", "--war", empty.toString(), "--step-timeout", "600", "--wait", "0");
        assertThat(started.exit).as(started.said).isZero();
        assertThat(started.said).contains("version 0001 -> 0002");
        Result again = hpctl("rollout", "tomcat", "--war", war.toString(), "--version", "0009");
        assertThat(again.exit).as(again.said).isEqualTo(1);
        assertThat(again.said).contains("a rollout of tomcat to version 0002 runs since");
        await().atMost(Duration.ofSeconds(60)).until(() -> rollout().get("members").get("tomcat/clone-1")
                .get("state").asText().equals("REPLACING"));
        HttpResponse<String> aborted = DemoTest.post(http, auth, base,
                "/hpadmin/api/cluster/abort-rollout?app=tomcat");
        assertThat(aborted.statusCode()).as(aborted.body()).isEqualTo(200);
        assertThat(aborted.body()).contains("ROLLING_BACK").contains("aborted by");
        Result watched = hpctl("rollout", "tomcat", "--status", "--wait", "180");
        assertThat(watched.exit).as(watched.said).isEqualTo(1);
        assertThat(watched.said).contains("ROLLED_BACK: rolled back to version 0001");
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> health(tomcatPort) == 200);
        assertThat(job("tomcat/clone-1").get("spec").get("version").asText()).isEqualTo("0001");
        HttpResponse<String> over = DemoTest.post(http, auth, base, "/hpadmin/api/cluster/abort-rollout?app=tomcat");
        assertThat(over.statusCode()).as(over.body()).isEqualTo(409);
        assertThat(over.body()).contains("is over");

        // bad input: exit 2, nothing changes
        Path text = Files.writeString(home.resolve("notes.war"), "not a zip");
        Result notWar = hpctl("rollout", "tomcat", "--war", text.toString());
        assertThat(notWar.exit).as(notWar.said).isEqualTo(2);
        assertThat(notWar.said).contains("is not a WAR").contains("nothing changed");
        Result unknown = hpctl("rollout", "nosuch", "--war", war.toString());
        assertThat(unknown.exit).as(unknown.said).isEqualTo(2);
        assertThat(unknown.said).contains("no application nosuch");
        assertThat(rollout().get("number").asInt()).isEqualTo(2);
    }

    private JsonNode report() throws Exception {
        return new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/hpadmin/api/cluster"))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private JsonNode rollout() throws Exception {
        for (JsonNode rollout : report().get("rollouts")) {
            if (rollout.get("application").asText().equals("tomcat")) {
                return rollout;
            }
        }
        throw new AssertionError("no rollout of tomcat in the report");
    }

    private JsonNode job(String name) throws Exception {
        for (JsonNode job : report().get("agents").get(0).get("jobs")) {
            if (job.get("spec").get("name").asText().equals(name)) {
                return job;
            }
        }
        throw new AssertionError("no job " + name);
    }

    private int health(int port) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/HostPublisher/health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private record Result(int exit, String said) {
    }

    private Result hpctl(String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(concat(script.toString(), args)).redirectErrorStream(true);
        builder.environment().put("HOSTPUB_HOME", home.toString());
        Process process = builder.start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), said);
    }

    private static List<String> concat(String first, String... rest) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all;
    }
}
