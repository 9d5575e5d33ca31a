package io.hostpub.admin.web;

import io.hostpub.admin.api.model.Role;
import io.hostpub.runtime.HostpubRuntime;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /HostPublisher/health}: what a host agent (or a load balancer) asks to tell a serving clone from a hung
 * or half-started one. 200 {@code UP} only when this clone's runtime runs and is registered on its machine (it is the
 * supervisor, or a subordinate linked to one); else 503 {@code DOWN}. No login, and nothing else revealed: no name,
 * role or version. Answered by a container thread like any request, so a JVM that cannot serve cannot pass it.
 */
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean up = up(WebContext.runtime(getServletContext()));
        response.setStatus(up ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(up ? "UP\n" : "DOWN\n");
    }

    static boolean up(Optional<HostpubRuntime> runtime) {
        if (runtime.isEmpty() || runtime.get().isClosed()) {
            return false;
        }
        Role role = runtime.get().role();
        return role == Role.SUPERVISOR || role == Role.SUBORDINATE && runtime.get().supervisorName().isPresent();
    }
}
