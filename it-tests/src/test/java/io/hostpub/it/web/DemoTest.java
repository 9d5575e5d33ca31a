package io.hostpub.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostpub.it.fixture.TestMachine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
        int firstPort = twoFreePorts();
        Path script = Path.of("..", "hpctl").toAbsolutePath().normalize();
        Path out = dir.resolve("demo.out");
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "demo", "--clones", "2", "--http-port",
                String.valueOf(firstPort)).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().remove("HOSTPUB_HOME");
        builder.environment().remove("HOSTPUB_CONFIG");
        builder.environment().put("HPCTL_OPTS", "-Dhostpub.supervisorPort=" + TestMachine.freePort());
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
            String auth = "Basic " + Base64.getEncoder().encodeToString((login.group(1) + ":" + login.group(2))
                    .getBytes(StandardCharsets.UTF_8));

            HttpClient http = HttpClient.newHttpClient();
            HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (firstPort + 1)
                    + "/HostPublisher/hpadmin/api/instances")).header("Authorization", auth).build();
            JsonNode view = new ObjectMapper().readTree(http.send(list, HttpResponse.BodyHandlers.ofString()).body());
            assertThat(view.get("instances")).hasSize(2);
            view.get("instances").forEach(i -> clonePids.add(i.get("pid").asLong()));
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
        } finally {
            demo.destroy(); // SIGTERM: the demo stops every clone
            demo.waitFor();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> clonePids.stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    private static int twoFreePorts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = TestMachine.freePort();
            try (ServerSocket next = new ServerSocket()) {
                next.bind(new InetSocketAddress("127.0.0.1", port + 1));
                return port;
            } catch (IOException taken) {
                // try another pair
            }
        }
        throw new IOException("no two consecutive free ports");
    }
}
