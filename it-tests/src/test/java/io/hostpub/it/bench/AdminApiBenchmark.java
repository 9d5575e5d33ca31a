package io.hostpub.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.testing.Containers.ContainerClone;
import io.hostpub.testing.Containers.Distribution;
import io.hostpub.testing.Containers;
import io.hostpub.testing.TestMachine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's instance list ({@code GET /hpadmin/api/instances}, served by a Jetty 12 distribution clone with
 * HostPublisher.war) with 4, 16 and 32 instances on the machine (the clone plus bare runtimes), and the wall time
 * of {@code hpctl instances --json} (a fresh JVM each time, as an operator runs it), and a Prometheus scrape of the
 * clone's {@code /hpadmin/metrics}. Every API request and scrape walks the whole path: handshake with the supervisor
 * port, registry list and lookups, one RMI call per instance. Run with {@code -Pbench}; results in
 * {@code target/bench/api-instances.json}, {@code hpctl-instances.json} and {@code metrics-scrape.json}.
 */
@Tag("bench")
class AdminApiBenchmark {

    static final List<Integer> SIZES = List.of(4, 16, 32);
    static final int REQUESTS = Integer.getInteger("bench.apiRequests", 200);
    static final int CLI_RUNS = Integer.getInteger("bench.cliRuns", 10);
    static final String PASSWORD = "bench-password";

    @TempDir
    Path home;

    @Test
    void instanceListLatency() throws Exception {
        BenchResults results = new BenchResults();
        try (TestMachine machine = new TestMachine(home, "<hostpub><adminPassword>" + PASSWORD
                + "</adminPassword></hostpub>")) {
            ContainerClone clone = Containers.start(machine, Distribution.JETTY_12);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(clone.url("/hpadmin/api/instances")))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            ("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8))).build();
            int bare = 0;
            for (int n : SIZES) {
                while (bare < n - 1) {
                    bare++;
                    machine.startRuntime("bare-" + bare, 0);
                }
                await().atMost(Duration.ofSeconds(180)).ignoreExceptions()
                        .until(() -> machine.view().instances().size() == n);
                for (int i = 0; i < 50; i++) {
                    assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                }
                long[] micros = new long[REQUESTS];
                for (int i = 0; i < REQUESTS; i++) {
                    long start = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    micros[i] = (System.nanoTime() - start) / 1_000;
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.body()).contains("\"name\":\"bare-" + (n - 1) + "\"");
                }
                results.latency("api-instances", "hostpub", n, micros, null);
                results.latency("metrics-scrape", "hostpub", n, scrapes(http, clone, n), null);

                // as an operator runs it: the shipped script (its class archive and short-lived JVM options), and the
                // same without the archive
                results.latency("hpctl-instances", "hostpub", n, hpctlRuns(machine, "on"), null);
                results.latency("hpctl-instances", "hostpub-no-class-archive", n, hpctlRuns(machine, "off"), null);
            }
        }
        results.write();
    }

    /**
     * {@link #REQUESTS} scrapes of the clone's {@code /hpadmin/metrics} (µs), as Prometheus sends them (OpenMetrics
     * accepted): the clone's own counters and pools, and the machine's view from its supervisor.
     */
    private static long[] scrapes(HttpClient http, ContainerClone clone, int instances) throws Exception {
        HttpRequest scrape = HttpRequest.newBuilder(URI.create(clone.url("/hpadmin/metrics")))
                .header("Accept", "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;q=0.5")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8))).build();
        long[] micros = new long[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(scrape, HttpResponse.BodyHandlers.ofString());
            micros[i] = (System.nanoTime() - start) / 1_000;
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("hostpub_instances{role=\"subordinate\"} " + (instances - 1) + ".0");
        }
        return micros;
    }

    /** {@link #CLI_RUNS} wall times of {@code hpctl instances --json} (µs), each a fresh JVM. */
    private static long[] hpctlRuns(TestMachine machine, String classArchive) throws Exception {
        long[] micros = new long[CLI_RUNS];
        for (int i = 0; i < CLI_RUNS; i++) {
            ProcessBuilder builder = new ProcessBuilder(Path.of("..", "hpctl").toAbsolutePath().normalize().toString(),
                    "instances", "--json").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("HOSTPUB_HOME", machine.home().toString());
            builder.environment().put("HPCTL_OPTS", "-Dhostpub.supervisorPort=" + machine.port());
            builder.environment().put("HPCTL_CLASS_ARCHIVE", classArchive);
            long start = System.nanoTime();
            Process process = builder.start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            micros[i] = (System.nanoTime() - start) / 1_000;
            assertThat(process.exitValue()).isZero();
        }
        return micros;
    }
}
