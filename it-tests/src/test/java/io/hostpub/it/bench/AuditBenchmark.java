package io.hostpub.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostpub.runtime.audit.AuditEvent;
import io.hostpub.runtime.audit.AuditJournal;
import io.hostpub.runtime.audit.AuditReader;
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
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the audit journal costs: one append (JSON line, SHA-256, the directory's file lock, a write and an
 * {@code fsync}) on the build machine's disk, alone and with four threads appending at once; and an audited admin
 * action end to end ({@code POST .../set-log-level} on a Jetty 12 clone: two appends, the request and its outcome,
 * plus the RMI call), next to a read of the same instance that records nothing. Run with {@code -Pbench}; results in
 * {@code target/bench/audit-append.json} and {@code audit-action.json}.
 */
@Tag("bench")
class AuditBenchmark {

    static final int APPENDS = Integer.getInteger("bench.auditAppends", 2000);
    static final int ACTIONS = Integer.getInteger("bench.auditActions", 300);
    static final String PASSWORD = "bench-password";

    @TempDir
    Path home;

    @Test
    void appendAndAuditedActionCost() throws Exception {
        BenchResults results = new BenchResults();
        AuditJournal journal = new AuditJournal(home.resolve("bench-audit"), AuditJournal.DEFAULT_ROTATE_BYTES,
                AuditJournal.DEFAULT_KEEP_FILES, Clock.systemUTC());
        AuditEvent event = AuditEvent.requested("admin", "admin", "127.0.0.1", "api", "set-log-level",
                "instance jetty-8080 on machine 127.0.0.1:30099", Map.of("logger", "io.hostpub", "level", "FINE"));
        long[] alone = new long[APPENDS];
        for (int i = 0; i < APPENDS; i++) {
            long start = System.nanoTime();
            journal.append(event);
            alone[i] = (System.nanoTime() - start) / 1_000;
        }
        results.latency("audit-append", "hostpub (1 thread, fsync)", 1, alone, null);
        int threads = 4;
        long[][] each = new long[threads][APPENDS / threads];
        Thread[] appenders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            long[] mine = each[t];
            appenders[t] = new Thread(() -> {
                for (int i = 0; i < mine.length; i++) {
                    long start = System.nanoTime();
                    try {
                        journal.append(event);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    mine[i] = (System.nanoTime() - start) / 1_000;
                }
            }, "audit-bench-" + t);
            appenders[t].start();
        }
        for (Thread appender : appenders) {
            appender.join();
        }
        results.latency("audit-append", "hostpub (4 threads, fsync)", threads, java.util.Arrays.stream(each)
                .flatMapToLong(java.util.Arrays::stream).toArray(), null);
        assertThat(new AuditReader(journal.directory()).verify().records()).isEqualTo(APPENDS + threads * (APPENDS
                / threads));

        try (TestMachine machine = new TestMachine(home.resolve("machine"), "<hostpub><adminPassword>" + PASSWORD
                + "</adminPassword></hostpub>")) {
            ContainerClone clone = Containers.start(machine, Distribution.JETTY_12);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(
                    StandardCharsets.UTF_8));
            HttpRequest csrf = HttpRequest.newBuilder(URI.create(clone.url("/hpadmin/api/csrf")))
                    .header("Authorization", auth).build();
            String token = await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> new ObjectMapper()
                    .readTree(http.send(csrf, HttpResponse.BodyHandlers.ofString()).body()).get("token").asText(),
                    t -> !t.isEmpty());
            HttpRequest action = HttpRequest.newBuilder(URI.create(clone.url("/hpadmin/api/instances/"
                    + clone.instanceName() + "/set-log-level"))).header("Authorization", auth)
                    .header("X-CSRF-Token", token).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("logger=io.hostpub.bench&level=FINE")).build();
            HttpRequest read = HttpRequest.newBuilder(URI.create(clone.url("/hpadmin/api/instances/"
                    + clone.instanceName()))).header("Authorization", auth).build();
            results.latency("audit-action", "set-log-level (audited, 2 appends)", 1, timed(http, action), null);
            results.latency("audit-action", "instance detail (read, not audited)", 1, timed(http, read), null);
            assertThat(new AuditReader(machine.home().resolve(AuditJournal.DIRECTORY)).verify().records())
                    .isGreaterThanOrEqualTo(2L * (ACTIONS + 50));
        }
        results.write();
    }

    private static long[] timed(HttpClient http, HttpRequest request) throws Exception {
        for (int i = 0; i < 50; i++) {
            assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        long[] micros = new long[ACTIONS];
        for (int i = 0; i < ACTIONS; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            micros[i] = (System.nanoTime() - start) / 1_000;
            assertThat(response.statusCode()).isEqualTo(200);
        }
        return micros;
    }
}
