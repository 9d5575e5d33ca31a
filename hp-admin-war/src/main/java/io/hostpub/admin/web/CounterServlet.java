package io.hostpub.admin.web;

import io.hostpub.coordinator.api.ClusterRefusal;
import io.hostpub.coordinator.api.checkpoint.Checkpoint;
import io.hostpub.coordinator.checkpoints.Checkpoints;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code /app/counter}: the sample application's use of job checkpoints (seed 003). {@code POST} adds one to a
 * counter and saves it as the job's checkpoint; {@code GET} shows it. A clone restarted after {@code kill -9}, or
 * moved to another node, starts from its job's last checkpoint. Answers JSON; 503 when this clone is not a cluster job.
 * Public like {@code /app/query}: an application of the clone, not part of the admin interface.
 */
public final class CounterServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private transient Optional<Checkpoints> checkpoints;
    private transient String unavailable;
    private long count = -1; // -1 until read from the latest checkpoint
    private transient Checkpoint last;

    @Override
    public void init() {
        try {
            checkpoints = Checkpoints.fromEnvironment();
            unavailable = checkpoints.isEmpty() ? "this clone is not a cluster job (no HOSTPUB_JOB): it has no"
                    + " checkpoints" : null;
        } catch (IOException | RuntimeException e) {
            checkpoints = Optional.empty();
            unavailable = "checkpoints unavailable: " + e.getMessage();
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(response, false);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(response, true);
    }

    private synchronized void answer(HttpServletResponse response, boolean add) throws IOException {
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        if (checkpoints.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.getWriter().write("{\"error\":" + quote(unavailable) + "}");
            return;
        }
        try {
            if (count < 0) {
                last = checkpoints.get().latest().orElse(null);
                count = last == null ? 0 : Long.parseLong(new String(last.data(), StandardCharsets.UTF_8));
            }
            if (add) {
                last = checkpoints.get().save(String.valueOf(count + 1).getBytes(StandardCharsets.UTF_8));
                count++;
            }
        } catch (ClusterRefusal refusal) {
            response.setStatus(refusal.status() == 409 ? HttpServletResponse.SC_CONFLICT
                    : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.getWriter().write("{\"error\":" + quote(refusal.getMessage()) + "}");
            return;
        } catch (IOException | NumberFormatException e) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.getWriter().write("{\"error\":" + quote("checkpoint store unreachable: " + e.getMessage())
                    + "}");
            return;
        }
        response.getWriter().write("{\"job\":" + quote(checkpoints.get().job()) + ",\"count\":" + count
                + ",\"checkpoint\":" + (last == null ? "null" : "{\"sequence\":" + last.sequence() + ",\"savedAt\":"
                + quote(last.savedAt().toString()) + ",\"node\":" + quote(last.node()) + ",\"pid\":" + last.pid()
                + "}") + ",\"pid\":" + ProcessHandle.current().pid() + "}");
    }

    private static String quote(String text) {
        return io.hostpub.admin.api.json.Json.writeString(text);
    }
}
