package io.hostpub.admin.web;

import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.model.InstanceDetail;
import io.hostpub.coordinator.api.operator.OperatorRequest;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /hpadmin/api/*}: the JSON/XML API (DESIGN section 3).
 * <pre>
 * GET  /api/instances[?machine=HOST[:PORT]]                 the machine's instance list
 * GET  /api/instances/{name}[?machine=..]                   one instance: JVM, applications, pools, events
 * GET  /api/instances/{name}/threads[?machine=..]           its thread dump (text/plain)
 * GET  /api/instances/{name}/loggers[?machine=..]           its java.util.logging loggers with their levels
 * GET  /api/csrf                                            a CSRF token for the POSTs below
 * GET  /api/events[?instance=&limit=&machine=]             the machine's event journal, newest first
 * GET  /api/audit[?user=&action=&target=&since=&limit=&verify=yes]  the audit journal, newest first
 * POST /api/instances/{name}/delete-connection  pool, connection
 * POST /api/instances/{name}/soft-evict-pool    pool
 * POST /api/instances/{name}/set-log-level      logger, level
 * POST /api/instances/{name}/shutdown
 * GET  /api/cluster                                         the cluster hierarchy (as hpctl cluster --json)
 * POST /api/cluster/{stop-job,start-job}  job               hold a job stopped / let it run again
 * POST /api/cluster/{drain,undrain}       node              move a node's jobs away / let it take jobs again
 * POST /api/cluster/{shutdown,start}      scope, confirm=yes stop a scope (a position, or all) and keep it stopped /
 *                                                            lift that and start its agents and coordinators
 * POST /api/cluster/abort-rollout         app               stop an application's rollout, roll replaced members back
 * </pre>
 */
public final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        List<String> path = segments(request);
        try {
            AdminGateway gateway = gateway();
            if (path.equals(List.of("csrf"))) {
                Map<String, Object> token = new LinkedHashMap<>();
                token.put("header", CsrfTokens.HEADER);
                token.put("token", request.getAttribute("csrfToken"));
                Responses.document(request, response, 200, token);
            } else if (path.equals(List.of("cluster"))) {
                io.hostpub.coordinator.api.report.ClusterReport report = clusterGateway().report();
                if (Responses.wantsXml(request)) {
                    Responses.document(request, response, 200, report);
                } else {
                    response.setContentType("application/json;charset=UTF-8");
                    response.getOutputStream().write(io.hostpub.admin.api.json.Json.write(report));
                }
            } else if (path.equals(List.of("events"))) {
                EventsServlet.api(request, response, gateway);
            } else if (path.equals(List.of("audit"))) {
                AuditServlet.api(request, response);
            } else if (path.equals(List.of("sd"))) {
                serviceDiscovery(request, response, gateway);
            } else if (path.equals(List.of("instances"))) {
                Responses.document(request, response, 200, gateway.view(gateway.machine(request.getParameter("machine"))));
            } else if (path.size() == 2 && path.get(0).equals("instances")) {
                InstanceDetail detail = gateway.detail(gateway.machine(request.getParameter("machine")), path.get(1));
                Responses.document(request, response, 200, detail);
            } else if (path.size() == 3 && path.get(0).equals("instances") && path.get(2).equals("loggers")) {
                Map<String, Object> loggers = new LinkedHashMap<>();
                loggers.put("instance", path.get(1));
                loggers.put("loggers", gateway.call(gateway.machine(request.getParameter("machine")), path.get(1),
                        AdminServer::loggers));
                Responses.document(request, response, 200, loggers);
            } else if (path.size() == 3 && path.get(0).equals("instances") && path.get(2).equals("threads")) {
                String dump = gateway.call(gateway.machine(request.getParameter("machine")), path.get(1),
                        AdminServer::threadDump);
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().write(dump);
            } else {
                Responses.apiError(request, response, 404, "no such API resource: " + Paths.within(request));
            }
        } catch (AdminFailure e) {
            Responses.apiError(request, response, e.status(), e.getMessage());
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        List<String> path = segments(request);
        if (path.size() == 2 && path.get(0).equals("cluster")) {
            clusterAction(request, response, path.get(1));
            return;
        }
        Optional<Action> action = path.size() == 3 && path.get(0).equals("instances") ? Action.of(path.get(2))
                : Optional.empty();
        if (action.isEmpty()) {
            Responses.apiError(request, response, 404, "no such API action: " + Paths.within(request));
            return;
        }
        try {
            Responses.done(request, response, action.get().run(gateway(), request, path.get(1)));
        } catch (AdminFailure e) {
            Responses.apiError(request, response, e.status(), e.getMessage());
        }
    }

    private void clusterAction(HttpServletRequest request, HttpServletResponse response, String name)
            throws IOException {
        Optional<OperatorRequest.Operation> operation = OperatorRequest.Operation.of(name);
        if (operation.isEmpty()) {
            Responses.apiError(request, response, 404, "no such cluster action: " + name
                    + " (stop-job, start-job, drain, undrain, shutdown, start, abort-rollout)");
            return;
        }
        try {
            Responses.done(request, response, clusterGateway().operate(operation.get(),
                    request.getParameter(operation.get().parameter()), "yes".equals(request.getParameter("confirm")),
                    PagesServlet.by(request)));
        } catch (AdminFailure e) {
            Responses.apiError(request, response, e.status(), e.getMessage());
        }
    }

    /** The scrape targets; what cannot be read now (a failover, no agent) is left out rather than failing. */
    private void serviceDiscovery(HttpServletRequest request, HttpServletResponse response, AdminGateway gateway)
            throws IOException {
        Optional<io.hostpub.admin.api.model.MachineView> view;
        try {
            view = Optional.of(gateway.view(gateway.localMachine()));
        } catch (AdminFailure e) {
            view = Optional.empty();
        }
        Optional<io.hostpub.coordinator.api.report.ClusterReport> report = Optional.empty();
        try {
            ClusterGateway cluster = clusterGateway();
            if (cluster.configured()) {
                report = Optional.of(cluster.report(ScrapeCollector.QUICK_REPORT));
            }
        } catch (AdminFailure e) {
            // no agent answers: this machine's clones only
        }
        response.setContentType("application/json;charset=UTF-8");
        response.getOutputStream().write(io.hostpub.admin.api.json.Json.write(ServiceDiscovery.targets(
                gateway.localMachine(), view, report, request.getContextPath() + "/hpadmin/metrics")));
    }

    private ClusterGateway clusterGateway() throws AdminFailure {
        return ClusterGateway.of(getServletContext());
    }

    private AdminGateway gateway() throws AdminFailure {
        return Gateways.of(getServletContext()).orElseThrow(() -> new AdminFailure(AdminFailure.Kind.NO_SUPERVISOR,
                WebContext.NOT_STARTED));
    }

    /** The decoded path segments below {@code /api/}. */
    static List<String> segments(HttpServletRequest request) {
        String raw = Paths.within(request);
        if (raw.startsWith("/api/")) {
            raw = raw.substring("/api/".length());
        }
        List<String> segments = new ArrayList<>();
        for (String part : raw.split("/", -1)) {
            if (!part.isEmpty()) {
                segments.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }
}
