package io.hostpub.coordinator.agent;

import io.hostpub.coordinator.api.job.HealthCheck;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One look at a job's process (seed 003's "progress" of a job) and, when its {@link HealthCheck} has a path, one
 * question to its health endpoint. The process look reads {@code /proc/<pid>/stat}: a process stopped by a signal
 * ({@code T}), traced ({@code t}) or a zombie ({@code Z}) fails without a question, since it cannot answer one.
 *
 * @param passed whether the job passed
 * @param reason why it failed, in one line (empty when it passed)
 */
record HealthLook(boolean passed, String reason) {

    static final HealthLook PASSED = new HealthLook(true, "");

    /** Looks at process {@code pid}, then asks {@code http://host:port<path>} (blocking, at most the timeout). */
    static HealthLook of(long pid, InetAddress host, int port, HealthCheck check) {
        String state = processState(pid);
        if (state.equals("T") || state.equals("t")) {
            return new HealthLook(false, "process " + pid + " is stopped (state " + state + ", SIGSTOP or a debugger)");
        }
        if (state.equals("Z") || state.equals("X")) {
            return new HealthLook(false, "process " + pid + " is a zombie (state " + state + ")");
        }
        if (check.path() == null) {
            return PASSED;
        }
        String url = "http://" + (host.getHostAddress().contains(":") ? "[" + host.getHostAddress() + "]"
                : host.getHostAddress()) + ":" + port + check.path();
        long began = System.nanoTime();
        try {
            HttpURLConnection http = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
            http.setConnectTimeout((int) check.timeoutMs());
            http.setReadTimeout((int) check.timeoutMs());
            http.setUseCaches(false);
            http.setInstanceFollowRedirects(false);
            try {
                int status = http.getResponseCode();
                return status == 200 ? PASSED : new HealthLook(false, "GET " + check.path() + " answered " + status);
            } finally {
                http.disconnect();
            }
        } catch (SocketTimeoutException e) {
            return new HealthLook(false, "GET " + check.path() + " timed out after "
                    + (System.nanoTime() - began) / 1_000_000 + " ms");
        } catch (IOException | RuntimeException e) {
            return new HealthLook(false, "GET " + check.path() + " failed: " + e.getMessage());
        }
    }

    /**
     * The process state letter from {@code /proc/<pid>/stat} ({@code R}, {@code S}, {@code T}, {@code Z}...), or
     * {@code ?} where there is no such file (the process is gone, or not Linux).
     */
    static String processState(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            int close = stat.lastIndexOf(')'); // the command name in parentheses may hold spaces and ')'
            return close < 0 || close + 2 >= stat.length() ? "?" : stat.substring(close + 2, close + 3);
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
