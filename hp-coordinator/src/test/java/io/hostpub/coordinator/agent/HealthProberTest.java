package io.hostpub.coordinator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostpub.coordinator.api.job.HealthCheck;
import io.hostpub.coordinator.api.job.JobIncident;
import io.hostpub.testing.FreePorts;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health looks against real processes: stopped ones, a health port nobody answers, a start grace. */
class HealthProberTest {

    @TempDir
    Path workDir;

    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Map<Long, Boolean> lastLook = new ConcurrentHashMap<>();
    private final List<JobIncident> hangs = new CopyOnWriteArrayList<>();
    private final HealthProber.Listener listener = new HealthProber.Listener() {
        @Override
        public void looked(String job, long pid, boolean passed) {
            lastLook.put(pid, passed);
        }

        @Override
        public void hung(String job, long pid, JobIncident incident) {
            hangs.add(incident);
        }
    };

    @AfterEach
    void killAll() {
        processes.forEach(Process::destroyForcibly);
    }

    private Process sleeper() throws Exception {
        Process process = new ProcessBuilder("sleep", "300").start();
        processes.add(process);
        return process;
    }

    private static HealthProber.Running running(String job, Process process, int port, HealthCheck check) {
        return new HealthProber.Running(job, process.pid(), port, check);
    }

    @Test
    void aStoppedProcessIsHungAfterItsFailedLooksAndTheEvidenceSaysWhy() throws Exception {
        Process healthy = sleeper();
        Process stopped = sleeper();
        HealthCheck check = new HealthCheck(null, 200, 1_000, 3, 60_000);
        Files.createDirectories(workDir.resolve("logs"));
        Files.writeString(workDir.resolve("logs").resolve("app_stopped.log"), "line one\nlast words\n");
        try (HealthProber prober = new HealthProber("n1", InetAddress.getLoopbackAddress(), workDir,
                () -> List.of(running("app/healthy", healthy, 0, check), running("app/stopped", stopped, 0, check)),
                listener, Clock.systemUTC())) {
            prober.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(lastLook.get(stopped.pid())));
            new ProcessBuilder("kill", "-STOP", String.valueOf(stopped.pid())).start().waitFor();
            await().atMost(Duration.ofSeconds(10)).until(() -> !hangs.isEmpty());
            JobIncident hang = hangs.get(0);
            assertThat(hang.pid()).isEqualTo(stopped.pid());
            assertThat(hang.kind()).isEqualTo(JobIncident.HUNG);
            assertThat(hang.reason()).contains("is stopped (state T").contains("3 failed look(s) in a row");
            String evidence = Files.readString(Path.of(hang.evidence()));
            assertThat(evidence).contains("process state: T").contains("no thread dump: a stopped process")
                    .contains("last words");
            assertThat(hang.excerpt()).contains("HUNG");
            // one report per process; the healthy one is never reported
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> hangs.size() == 1);
            assertThat(lastLook.get(healthy.pid())).isTrue();
        }
    }

    @Test
    void aJobThatNeverAnswersIsNotHungBeforeItsStartGraceButIsAfter() throws Exception {
        Process starting = sleeper();
        int silentPort = FreePorts.next(); // nothing listens: every question fails at once
        HealthCheck check = new HealthCheck("/HostPublisher/health", 100, 500, 2, 2_000);
        long began = System.nanoTime();
        try (HealthProber prober = new HealthProber("n1", InetAddress.getLoopbackAddress(), workDir,
                () -> List.of(running("app/slow", starting, silentPort, check)), listener, Clock.systemUTC())) {
            prober.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> !hangs.isEmpty());
            long after = (System.nanoTime() - began) / 1_000_000;
            assertThat(after).as("not before the 2 s start grace").isGreaterThanOrEqualTo(1_900);
            assertThat(hangs.get(0).reason()).contains("GET /HostPublisher/health failed");
            assertThat(lastLook.get(starting.pid())).isFalse();
        }
    }
}
