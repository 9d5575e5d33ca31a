package io.hostpub.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostpub.admin.api.model.InstanceSummary;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The runtime installed at container level (hp-runtime and its libraries on the container's class path, the
 * {@code shared} WAR without them): every web application of the JVM shares one runtime, which lists them all.
 */
class ContainerLevelTest {

    static final String PASSWORD = "container-level-password";

    @TempDir
    Path home;

    @ParameterizedTest
    @EnumSource(value = Distribution.class, names = {"JETTY_12", "TOMCAT_10"})
    void twoApplicationsShareOneRuntime(Distribution distribution) throws Exception {
        try (TestMachine machine = new TestMachine(home, "<hostpub>" + TestPasswords.configElement(PASSWORD)
                + "</hostpub>")) {
            Path wars = Files.createDirectories(home.resolve("wars"));
            Path admin = Files.copy(Containers.sharedWar(), wars.resolve("HostPublisher.war"));
            Path second = Files.copy(Containers.sharedWar(), wars.resolve("second.war"), StandardCopyOption.REPLACE_EXISTING);
            ContainerClone clone = Containers.start(machine, distribution, FreePorts.next(), List.of(admin, second),
                    runtimeJars());

            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> machine.view().instances().size() == 1);
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create(clone.url("/hpadmin/api/instances/"
                    + clone.instanceName()))).header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8))).build();
            JsonNode detail = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> new ObjectMapper()
                    .readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body()),
                    json -> json.path("applications").size() == 2);
            List<String> paths = new ArrayList<>();
            detail.get("applications").forEach(a -> paths.add(a.get("contextPath").asText()));
            assertThat(paths).containsExactlyInAnyOrder("/HostPublisher", "/second");
            assertThat(machine.view().instances()).singleElement().extracting(InstanceSummary::name)
                    .isEqualTo(clone.instanceName());
            assertThat(String.join("\n", clone.process().logLines())).doesNotContain("already registered");
        }
    }

    private static List<Path> runtimeJars() throws Exception {
        Path runtimeJar = Path.of(System.getProperty("hostpub.it.runtimeJar")).toAbsolutePath();
        Path lib = Path.of(System.getProperty("hostpub.it.runtimeLib")).toAbsolutePath();
        assertThat(runtimeJar).isRegularFile();
        List<Path> jars = new ArrayList<>(List.of(runtimeJar));
        try (Stream<Path> files = Files.list(lib)) {
            files.filter(f -> f.toString().endsWith(".jar")).forEach(jars::add);
        }
        return jars;
    }
}
