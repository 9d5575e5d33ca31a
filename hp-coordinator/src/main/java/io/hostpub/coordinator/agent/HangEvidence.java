package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.api.job.JobIncident;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What an agent keeps of a hung job before it kills it, in one file under {@code <node dir>/evidence/}: the process
 * state, a thread dump when the process is a JVM that still answers one ({@code jcmd Thread.print}, 5 s at most; a
 * stopped JVM cannot), the last lines of the job's log and any {@code hs_err_pid<pid>.log} in its working directory.
 * Runs on a health thread, never on the agent's event thread: a dump can take seconds.
 */
final class HangEvidence {

    private static final System.Logger LOG = System.getLogger(HangEvidence.class.getName());
    private static final int LOG_LINES = 60;
    private static final int EXCERPT_LINES = 12;
    private static final long DUMP_TIMEOUT_MS = 5_000;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS")
            .withZone(ZoneOffset.UTC);

    private HangEvidence() {
    }

    /** Collects and writes the evidence of {@code job}'s process {@code pid}; returns the incident naming the file. */
    static JobIncident collect(Path workDir, String job, long pid, String reason, Instant at) {
        List<String> text = new ArrayList<>();
        text.add("hostpub: job " + job + " (pid " + pid + ") HUNG at " + at + ": " + reason);
        String state = HealthLook.processState(pid);
        text.add("process state: " + state + " (/proc/" + pid + "/stat)");
        text.add("");
        text.addAll(threadDump(pid, state));
        text.add("");
        Path log = workDir.resolve("logs").resolve(job.replace('/', '_') + ".log");
        text.add("---- last " + LOG_LINES + " lines of " + log);
        text.addAll(tail(log, LOG_LINES));
        text.addAll(hsErr(pid));
        Path file = workDir.resolve("evidence").resolve(job.replace('/', '_') + "-" + pid + "-" + STAMP.format(at)
                + ".txt");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "job {0}: cannot write the evidence file {1}: {2}", job, file, e.toString());
            file = null;
        }
        List<String> excerpt = text.subList(0, Math.min(EXCERPT_LINES, text.size()));
        return new JobIncident(at, pid, JobIncident.HUNG, reason, file == null ? "" : file.toString(),
                String.join("\n", excerpt));
    }

    private static List<String> threadDump(long pid, String state) {
        if (state.equals("T") || state.equals("t") || state.equals("Z")) {
            return List.of("---- no thread dump: a " + (state.equals("Z") ? "zombie" : "stopped") + " process"
                    + " answers none");
        }
        if (!isJvm(pid)) {
            return List.of("---- no thread dump: not a JVM");
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return List.of("---- no thread dump: no jcmd in " + jcmd.getParent() + " (a JRE)");
        }
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "Thread.print", "-l")
                    .redirectErrorStream(true).start();
            // read while it runs: a large dump would fill the pipe and block jcmd
            java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return dump.getInputStream().readAllBytes();
                        } catch (IOException e) {
                            return new byte[0];
                        }
                    }, runnable -> io.hostpub.lifecycle.NamedThreads.start("hang-evidence-read", runnable));
            if (!dump.waitFor(DUMP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                dump.destroyForcibly();
                return List.of("---- no thread dump: the JVM did not answer jcmd within " + DUMP_TIMEOUT_MS + " ms");
            }
            List<String> lines = new ArrayList<>();
            lines.add("---- thread dump (jcmd " + pid + " Thread.print -l, exit " + dump.exitValue() + ")");
            lines.addAll(new String(out.get(1, TimeUnit.SECONDS), StandardCharsets.UTF_8).lines().toList());
            return lines;
        } catch (Exception e) {
            return List.of("---- no thread dump: " + e);
        }
    }

    private static boolean isJvm(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().command()).map(c -> c.endsWith("/java")).orElse(false);
    }

    private static List<String> tail(Path file, int lines) {
        try (Stream<String> all = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            java.util.ArrayDeque<String> last = new java.util.ArrayDeque<>(lines);
            all.forEach(line -> {
                if (last.size() == lines) {
                    last.removeFirst();
                }
                last.addLast(line);
            });
            return List.copyOf(last);
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of("(cannot read it: " + e.getMessage() + ")");
        }
    }

    private static List<String> hsErr(long pid) {
        try {
            Path cwd = Path.of("/proc", String.valueOf(pid), "cwd").toRealPath();
            Path hsErr = cwd.resolve("hs_err_pid" + pid + ".log");
            if (!Files.isRegularFile(hsErr)) {
                return List.of();
            }
            List<String> lines = new ArrayList<>();
            lines.add("");
            lines.add("---- " + hsErr);
            lines.addAll(tail(hsErr, 200));
            return lines;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
