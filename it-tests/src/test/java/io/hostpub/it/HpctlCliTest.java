package io.hostpub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostpub.admin.api.json.Json;
import io.hostpub.testing.FreePorts;
import io.hostpub.testing.TestMachine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code hpctl} launcher script and jar, as an operator runs them. */
class HpctlCliTest {

    @TempDir
    static Path home;

    static TestMachine machine;

    record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() {
        machine = new TestMachine(home, "<hostpub><licenseLimit>50</licenseLimit></hostpub>");
        machine.startRuntime("alpha", 2);
        machine.startRuntime("beta", 1);
        await().atMost(java.time.Duration.ofSeconds(60)).ignoreExceptions().until(machine::view,
                v -> v.instances().size() == 2 && v.licenses().inUse() == 3);
    }

    @AfterAll
    static void stop() {
        machine.close();
    }

    /** A second process announcing a taken name is refused clearly, exits, and overwrites nothing. */
    @Test
    void aDuplicateNameFromAnotherProcessIsRefused() throws Exception {
        long alphaPid = machine.view().instances().stream().filter(i -> i.name().equals("alpha")).findFirst()
                .orElseThrow().pid();
        var duplicate = io.hostpub.testing.CloneProcess.start(machine, "alpha-again", List.of(), "io.hostpub.cli.Hpctl",
                List.of("runtime", "--name", "alpha"));
        try {
            await().atMost(java.time.Duration.ofSeconds(60)).until(() -> !duplicate.isAlive());
            assertThat(String.join("\n", duplicate.logLines())).contains("'alpha' is already registered")
                    .contains("pid " + alphaPid);
            assertThat(machine.view().instances()).filteredOn(i -> i.name().equals("alpha"))
                    .singleElement().satisfies(i -> assertThat(i.pid()).isEqualTo(alphaPid));
        } finally {
            duplicate.close();
        }
    }

    private static Result hpctl(Path hostpubHome, String... args) throws Exception {
        return hpctlWithOptions(hostpubHome, "", args);
    }

    private static Result hpctlWithOptions(Path hostpubHome, String jvmOptions, String... args) throws Exception {
        Path script = Path.of("..", "hpctl").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOSTPUB_HOME", hostpubHome.toString());
        builder.environment().remove("HOSTPUB_CONFIG");
        builder.environment().put("HPCTL_OPTS", "-Dhostpub.supervisorPort=" + machine.port() + " " + jvmOptions);
        Path out = Files.createTempFile("hpctl", ".out");
        Path err = Files.createTempFile("hpctl", ".err");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void instancesJsonHasTheContractShapeAndMatchesTheSharedSerializer() throws Exception {
        Result r = hpctl(home, "instances", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.fieldNames()).toIterable()
                .containsExactly("machine", "supervisor", "registryPort", "licenses", "instances");
        assertThat(json.get("machine").asText()).isEqualTo("127.0.0.1:" + machine.port());
        assertThat(json.get("licenses").get("inUse").asInt()).isEqualTo(3);
        assertThat(json.get("licenses").get("limit").asInt()).isEqualTo(50);
        assertThat(json.get("instances")).hasSize(2);
        JsonNode first = json.get("instances").get(0);
        assertThat(first.fieldNames()).toIterable().containsExactly("name", "role", "pid", "startedAt", "uptimeMs",
                "container", "httpPorts", "licensesInUse");
        assertThat(first.get("role").asText()).isEqualTo("SUPERVISOR");
        assertThat(first.get("name").asText()).isEqualTo(json.get("supervisor").asText());
        assertThat(first.get("startedAt").asText()).endsWith("Z");
        // the same serializer over the same data yields the same document (modulo uptime, which moves)
        String ours = Json.writeString(machine.view());
        assertThat(strip(ours)).isEqualTo(strip(r.out().strip()));
    }

    private static String strip(String json) {
        return json.replaceAll("\"uptimeMs\":\\d+", "\"uptimeMs\":0");
    }

    /**
     * The class archive the build made from the jar fits this JDK and jar: with class sharing required (the JVM refuses
     * to start otherwise) hpctl answers, its own classes and the locator's mapped from the archive.
     */
    @Test
    void theClassArchiveBuiltWithTheJarIsUsed() throws Exception {
        assertThat(Path.of("..", "hp-cli", "target", "hpctl.jsa")).isRegularFile();
        Result r = hpctlWithOptions(home, "-Xshare:on -Xlog:class+load", "instances");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("licenses 3/50")
                .contains("io.hostpub.cli.Hpctl source: shared objects file (top)")
                .contains("io.hostpub.admin.api.locate.MachineLocator source: shared objects file (top)");
    }

    @Test
    void tableMarksTheSupervisor() throws Exception {
        Result r = hpctl(home, "instances");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("licenses 3/50").contains("alpha").contains("beta").contains("SUPERVISOR*");
    }

    @Test
    void showPrintsPoolsAndEvents() throws Exception {
        Result r = hpctl(home, "show", "alpha");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("pool demo").contains("IDLE").contains("recent events").contains("ROLE");
    }

    @Test
    void exitCodesFollowTheContract() throws Exception {
        assertThat(hpctl(home, "show", "nobody")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("no instance named 'nobody'");
        });
        assertThat(hpctl(home, "instances", "--machine", "127.0.0.1:" + FreePorts.next())).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(3);
            assertThat(r.err()).contains("no supervisor reachable");
        });
        assertThat(hpctl(home, "instances", "--machine", "not a host")).extracting(Result::exit).isEqualTo(2);
        assertThat(hpctl(home, "instances", "--bogus")).extracting(Result::exit).isEqualTo(2);

        Path stranger = Files.createDirectories(home.resolve("stranger/conf"));
        io.hostpub.admin.api.wire.InstallationSecret.loadOrCreate(stranger.resolve("secret"));
        assertThat(hpctl(stranger.getParent(), "instances")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(4);
            assertThat(r.err()).contains("SECRET_MISMATCH");
        });
    }

    @Test
    void launcherExplainsAMissingJar() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of("..", "hpctl").toAbsolutePath().normalize().toString());
        builder.environment().put("HPCTL_JAR", "/nonexistent/hpctl.jar");
        Process p = builder.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(2);
        assertThat(out).contains("mvn -B -q install -DskipTests");
    }

}
