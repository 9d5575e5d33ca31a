package io.hostpub.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.testing.Containers;
import io.hostpub.testing.Containers.Distribution;
import io.hostpub.testing.FreePorts;
import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the commands of the site's installation guide ({@code install.md}) as written, against the real Tomcat 10.1,
 * Tomcat 11 and Jetty 12.1 distributions: only the guide's settings block is replaced by the test's own (free ports,
 * temporary directories, the WAR and hpctl of this build). The two instances must find each other (one supervisor,
 * both listed by hpctl and by either one's API with the configured password, or on Tomcat 10.1 the generated one the
 * guide finds in one log), say in their container's own log which installation home they were given, and be gone
 * after the guide's stop commands.
 */
class InstallGuideTest {

    static final Path GUIDE = Path.of("..", "src-site", "src", "site", "markdown", "install.md");
    private static final Pattern STEP = Pattern.compile("<!-- step: (\\S+) -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);
    private static final Duration STEP_LIMIT = Duration.ofMinutes(2);
    private static final String PASSWORD = "install guide test password";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Distribution.class)
    void theGuidesCommandsInstallTwoInstancesThatFormOneMachine(Distribution distribution) throws Exception {
        Map<String, String> steps = steps();
        String container = distribution == Distribution.JETTY_12 ? "jetty" : "tomcat";
        int http1 = FreePorts.next();
        int http2 = FreePorts.next();
        Path home = dir.resolve("home");
        Path bases = dir.resolve("bases");
        String settings = String.join("\n",
                "HOSTPUB_HOME='" + home + "'",
                "HOSTPUB_WAR='" + Containers.war() + "'",
                "HPCTL='" + Path.of("..", "hpctl").toAbsolutePath().normalize() + "'",
                "CATALINA_HOME='" + (container.equals("tomcat") ? distribution.home() : "/nonexistent") + "'",
                "JETTY_HOME='" + (container.equals("jetty") ? distribution.home() : "/nonexistent") + "'",
                "BASES='" + bases + "'",
                "HTTP_PORT_1=" + http1 + " HTTP_PORT_2=" + http2,
                "SHUTDOWN_PORT_1=" + FreePorts.next() + " SHUTDOWN_PORT_2=" + FreePorts.next(),
                "SUPERVISOR_PORT=" + FreePorts.next(),
                "ADMIN_PASSWORD='" + PASSWORD + "'", "");
        assertThat(steps.get("settings")).as("the guide's settings name every variable the test sets")
                .contains("HOSTPUB_HOME=", "HOSTPUB_WAR=", "HPCTL=", "CATALINA_HOME=", "JETTY_HOME=", "BASES=",
                        "HTTP_PORT_1=", "SHUTDOWN_PORT_1=", "SUPERVISOR_PORT=", "ADMIN_PASSWORD=");
        List<String> names = List.of(container + "-" + http1, container + "-" + http2);
        // Tomcat 10.1 goes the guide's way without a configured password: the one generated is found in one log
        boolean generated = distribution == Distribution.TOMCAT_10;
        try {
            run(settings, steps, "home");
            if (generated) {
                run(settings, steps, "no-password");
            }
            run(settings, steps, container + "-install");
            run(settings, steps, container + "-start");

            String check = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> attempt(settings, steps, "check"), out -> out.isPresent()
                            && names.stream().allMatch(out.get()::contains)).orElseThrow();
            assertThat(check).contains("UP").containsOnlyOnce("SUPERVISOR");
            String password = generated ? generatedPassword(settings, steps) : PASSWORD;
            for (int port : List.of(http1, http2)) {
                assertThat(instancesFromApi(port, password)).as("the API of the instance on " + port)
                        .contains(names.get(0), names.get(1));
            }
            for (Path log : logs(container, bases)) {
                assertThat(Files.readString(log)).as(log + ", the container's own log")
                        .contains("starting with installation home " + home);
            }

            if (distribution != Distribution.TOMCAT_11) { // one Jetty and one Tomcat are enough for the log's path
                aFailoverIsInTheSurvivorsContainerLog(settings, steps, container, bases, names, http1, http2,
                        password);
            }
            List<ProcessHandle> containers = containerProcesses(container, bases);
            assertThat(containers).hasSize(2).allMatch(ProcessHandle::isAlive);
            run(settings, steps, container + "-stop");
            await().atMost(Duration.ofMinutes(1)).until(() -> containers.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            if (Files.isDirectory(bases)) {
                containerProcesses(container, bases).forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    /**
     * A {@code kill -9} of the supervisor's container: the survivor's own container log says it became supervisor
     * (Tomcat's {@code catalina.out} once had none of these lines); then the killed instance is started again with the
     * guide's command for it alone and rejoins.
     */
    private void aFailoverIsInTheSurvivorsContainerLog(String settings, Map<String, String> steps, String container,
            Path bases, List<String> names, int http1, int http2, String password) throws Exception {
        com.fasterxml.jackson.databind.JsonNode view = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                instancesFromApi(http2, password));
        String supervisor = java.util.stream.StreamSupport.stream(view.get("instances").spliterator(), false)
                .filter(i -> i.get("role").asText().equals("SUPERVISOR")).map(i -> i.get("name").asText())
                .findFirst().orElse("(none)");
        int killed = names.indexOf(supervisor);
        assertThat(killed).as("the supervisor %s is one of %s", supervisor, names).isNotNegative();
        String survivor = names.get(1 - killed);
        Path survivorLog = logs(container, bases).get(1 - killed);
        containerProcesses(container, bases).get(killed).destroyForcibly();
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(Files.readString(survivorLog))
                .as("%s, the survivor's own log", survivorLog).containsPattern("hostpub\\[" + Pattern.quote(
                        survivor) + "\\] LINK_DOWN @\\d+ lost supervisor " + Pattern.quote(supervisor)).containsPattern("hostpub\\[" + Pattern.quote(survivor)
                        + "\\] ROLE @\\d+ ELECTING -> SUPERVISOR: won the race"));
        int n = killed + 1;
        // Tomcat refuses to start while its pid file names a live process; a killed container whose parent never
        // reaps it (the test machine's init does not) stays a zombie, so remove the stale file as Tomcat's message says
        Files.deleteIfExists(bases.resolve(container + "-" + n).resolve("logs/catalina.pid"));
        String again = container.equals("tomcat") ? steps.get("tomcat-start").lines().filter(l -> l.contains(
                "tomcat-" + n + "\"")).reduce("", (a, b) -> a + b + "\n") : steps.get("jetty-start").replace(
                "for i in 1 2", "for i in " + n);
        Map<String, String> withRestart = new LinkedHashMap<>(steps);
        withRestart.put("restart", again);
        run(settings, withRestart, "restart");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(
                () -> assertThat(instancesFromApi(http1, password)).contains(names.get(0), names.get(1)));
    }

    /** The guide's steps by name. */
    static Map<String, String> steps() throws IOException {
        Map<String, String> steps = new LinkedHashMap<>();
        Matcher matcher = STEP.matcher(Files.readString(GUIDE));
        while (matcher.find()) {
            steps.put(matcher.group(1), matcher.group(2));
        }
        assertThat(steps).containsKeys("settings", "home", "no-password", "find-password", "tomcat-install", "tomcat-start", "tomcat-stop",
                "jetty-install", "jetty-start", "jetty-stop", "check");
        return steps;
    }

    private void run(String settings, Map<String, String> steps, String step) throws Exception {
        Optional<String> out = attempt(settings, steps, step);
        assertThat(out).as("step " + step + " of the guide; its output: " + Files.readString(output(step)))
                .isPresent();
    }

    /** Runs one step under {@code bash -euo pipefail}: its output if it exited 0. */
    private Optional<String> attempt(String settings, Map<String, String> steps, String step) throws Exception {
        ProcessBuilder bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", settings + steps.get(step))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output(step).toFile());
        // as on an operator's machine: no home in the shell (the containers must get it from their configuration),
        // the JVM that runs the tests as the containers' and hpctl's java
        Map<String, String> env = bash.environment();
        env.keySet().removeIf(key -> key.startsWith("HOSTPUB_") || key.startsWith("CATALINA_")
                || key.startsWith("JETTY_") || key.equals("JAVA_OPTS"));
        String javaHome = System.getProperty("java.home");
        env.put("JAVA_HOME", javaHome);
        env.put("PATH", javaHome + "/bin:" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        Process process = bash.start();
        if (!process.waitFor(STEP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("step " + step + " still runs after " + STEP_LIMIT + ": "
                    + Files.readString(output(step)));
        }
        String out = Files.readString(output(step));
        return process.exitValue() == 0 ? Optional.of(out) : Optional.empty();
    }

    private Path output(String step) {
        return dir.resolve(step + ".out");
    }

    /** The password the guide's find-password step finds: one line, in one instance's log. */
    private String generatedPassword(String settings, Map<String, String> steps) throws Exception {
        String found = attempt(settings, steps, "find-password").orElseThrow();
        Matcher line = Pattern.compile("password of user 'admin': (\\S+) ").matcher(found);
        assertThat(line.find()).as(found).isTrue();
        String password = line.group(1);
        assertThat(line.find()).as("the password is logged once, by the instance that generated it: " + found)
                .isFalse();
        return password;
    }

    private static String instancesFromApi(int port, String password) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password)
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/HostPublisher/hpadmin/api/instances")).header("Authorization", auth)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** Where the guide says each container logs: Tomcat's {@code catalina.out}, the Jetty base's output. */
    private static List<Path> logs(String container, Path bases) {
        List<Path> logs = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Path base = bases.resolve(container + "-" + i);
            logs.add(container.equals("tomcat") ? base.resolve("logs/catalina.out") : base.resolve("jetty.out"));
        }
        return logs;
    }

    /** The container JVMs, by the pid files the guide's commands write. */
    private static List<ProcessHandle> containerProcesses(String container, Path bases) throws IOException {
        List<ProcessHandle> processes = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Path base = bases.resolve(container + "-" + i);
            Path pidFile = container.equals("tomcat") ? base.resolve("logs/catalina.pid") : base.resolve("jetty.pid");
            if (Files.isRegularFile(pidFile)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(processes::add);
            }
        }
        return processes;
    }
}
