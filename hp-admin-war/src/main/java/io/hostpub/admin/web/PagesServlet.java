package io.hostpub.admin.web;

import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.json.Json;
import io.hostpub.admin.api.locate.MachineAddress;
import io.hostpub.admin.api.model.InstanceDetail;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.coordinator.api.operator.OperatorRequest;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * The admin pages below {@code /hpadmin/}: the machine chooser with the chosen machine's instances ({@code /}),
 * one instance ({@code /instance?name=}), its thread dump ({@code /threads?name=}) and its actions
 * ({@code POST /action}). Every page takes {@code machine=HOST:PORT} (default: this clone's machine) and shows a
 * remote failure as a status line, never a stack trace.
 */
public final class PagesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private transient ValidatorFactory validators;

    @Override
    public void init() {
        validators = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory();
    }

    @Override
    public void destroy() {
        if (validators != null) {
            validators.close();
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        String path = Paths.within(request);
        if (request.getRequestURI().endsWith("/hpadmin")) {
            response.sendRedirect(request.getContextPath() + "/hpadmin/");
            return;
        }
        Optional<AdminGateway> gateway = Gateways.of(getServletContext());
        if (gateway.isEmpty()) {
            Responses.error(request, response, false, HttpServletResponse.SC_SERVICE_UNAVAILABLE, WebContext.NOT_STARTED);
            return;
        }
        switch (path) {
            case "/" -> machinePage(request, response, gateway.get());
            case "/instance" -> instancePage(request, response, gateway.get());
            case "/threads" -> threadsPage(request, response, gateway.get());
            case "/cluster" -> clusterPage(request, response);
            default -> Responses.error(request, response, false, HttpServletResponse.SC_NOT_FOUND,
                    "no such page: " + path);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if (Paths.within(request).equals("/cluster")) {
            clusterAction(request, response);
            return;
        }
        if (!Paths.within(request).equals("/action")) {
            Responses.error(request, response, false, HttpServletResponse.SC_NOT_FOUND, "no such action");
            return;
        }
        Optional<AdminGateway> gateway = Gateways.of(getServletContext());
        if (gateway.isEmpty()) {
            Responses.error(request, response, false, HttpServletResponse.SC_SERVICE_UNAVAILABLE, WebContext.NOT_STARTED);
            return;
        }
        String name = request.getParameter("name");
        Optional<Action> action = Action.of(String.valueOf(request.getParameter("action")));
        if (name == null || action.isEmpty()) {
            Responses.error(request, response, false, HttpServletResponse.SC_BAD_REQUEST,
                    "an action needs the parameters name and action (" + List.of(Action.values()) + ")");
            return;
        }
        try {
            MachineAddress machine = gateway.get().machine(request.getParameter("machine"));
            String done = action.get().run(gateway.get(), request, name);
            String back = action.get() == Action.SHUTDOWN ? "/hpadmin/?machine=" + enc(machine.toString())
                    : "/hpadmin/instance?machine=" + enc(machine.toString()) + "&name=" + enc(name);
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            request.setAttribute(WebAudit.OUTCOME, done);
            response.setHeader("Location", request.getContextPath() + back + "&done=" + enc(done));
        } catch (AdminFailure e) {
            Responses.error(request, response, false, e.status(), e.getMessage());
        }
    }

    /** The cluster hierarchy drawn as a tree, the coordinators, the jobs with their statistics and actions. */
    private void clusterPage(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        request.setAttribute("title", "cluster");
        request.setAttribute("done", request.getParameter("done"));
        try {
            io.hostpub.coordinator.api.report.ClusterReport report = ClusterGateway.of(getServletContext()).report();
            request.setAttribute("cluster", Json.toMap(report));
            request.setAttribute("diagram", Json.toMap(ClusterDiagram.of(report)));
            request.setAttribute("availability", Json.toMap(AvailabilityChart.of(report)));
            request.setAttribute("liveShown", LiveFingerprints.of(report));
        } catch (AdminFailure e) {
            request.setAttribute("failure", e.getMessage());
            response.setStatus(e.status());
        }
        forward(request, response, "cluster");
    }

    private void clusterAction(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        Optional<OperatorRequest.Operation> operation = OperatorRequest.Operation.of(String.valueOf(
                request.getParameter("op")));
        if (operation.isEmpty()) {
            Responses.error(request, response, false, HttpServletResponse.SC_BAD_REQUEST,
                    "a cluster action needs op = stop-job, start-job, drain, undrain, shutdown, start or"
                            + " abort-rollout");
            return;
        }
        try {
            String done = ClusterGateway.of(getServletContext()).operate(operation.get(), request.getParameter("name"),
                    "yes".equals(request.getParameter("confirm")), by(request));
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            request.setAttribute(WebAudit.OUTCOME, done);
            response.setHeader("Location", request.getContextPath() + "/hpadmin/cluster?done=" + enc(done));
        } catch (AdminFailure e) {
            Responses.error(request, response, false, e.status(), e.getMessage());
        }
    }

    private void machinePage(HttpServletRequest request, HttpServletResponse response, AdminGateway gateway)
            throws IOException, ServletException {
        MachineAddress machine = gateway.localMachine();
        String host = request.getParameter("host");
        String port = request.getParameter("port");
        request.setAttribute("host", host == null ? machine.host() : host);
        request.setAttribute("port", port == null ? String.valueOf(machine.port()) : port);
        if (host != null || port != null) {
            Map<String, String> errors = validate(host, port);
            if (!errors.isEmpty()) {
                request.setAttribute("fieldErrors", errors);
                response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                forward(request, response, "machine");
                return;
            }
            machine = new MachineAddress(host.strip().replaceAll("^\\[|]$", ""), Integer.parseInt(port.strip()));
        } else {
            try {
                machine = gateway.machine(request.getParameter("machine"));
            } catch (AdminFailure e) {
                request.setAttribute("failure", e.getMessage());
                response.setStatus(e.status());
                forward(request, response, "machine");
                return;
            }
            request.setAttribute("host", machine.host());
            request.setAttribute("port", String.valueOf(machine.port()));
        }
        request.setAttribute("machine", machine.toString());
        try {
            MachineView view = gateway.view(machine);
            Map<String, Object> model = Json.toMap(view);
            for (Object row : (List<?>) model.get("instances")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> instance = (Map<String, Object>) row;
                instance.put("uptime", Durations.human(((Number) instance.get("uptimeMs")).longValue()));
            }
            request.setAttribute("view", model);
            request.setAttribute("liveShown", LiveFingerprints.of(view));
            request.setAttribute("departed", MachineHistory.departed(gateway, machine, view));
        } catch (AdminFailure e) {
            request.setAttribute("failure", e.getMessage());
            response.setStatus(e.status());
        }
        forward(request, response, "machine");
    }

    private void instancePage(HttpServletRequest request, HttpServletResponse response, AdminGateway gateway)
            throws IOException, ServletException {
        String name = request.getParameter("name");
        try {
            MachineAddress machine = gateway.machine(request.getParameter("machine"));
            request.setAttribute("machine", machine.toString());
            request.setAttribute("name", name);
            if (name == null || name.isBlank()) {
                throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, "which instance? (parameter name)");
            }
            InstanceDetail detail = gateway.detail(machine, name);
            Map<String, Object> model = Json.toMap(detail);
            @SuppressWarnings("unchecked")
            Map<String, Object> summary = (Map<String, Object>) model.get("summary");
            summary.put("uptime", Durations.human(detail.summary().uptimeMs()));
            @SuppressWarnings("unchecked")
            Map<String, Object> jvm = (Map<String, Object>) model.get("jvm");
            jvm.put("heapUsedMb", detail.jvm().heapUsedBytes() / (1024 * 1024));
            jvm.put("heapMaxMb", detail.jvm().heapMaxBytes() / (1024 * 1024));
            request.setAttribute("detail", model);
            request.setAttribute("history", MachineHistory.of(gateway, machine, name));
            request.setAttribute("done", request.getParameter("done"));
        } catch (AdminFailure e) {
            request.setAttribute("failure", e.getMessage());
            response.setStatus(e.status());
        }
        forward(request, response, "instance");
    }

    private void threadsPage(HttpServletRequest request, HttpServletResponse response, AdminGateway gateway)
            throws IOException, ServletException {
        try {
            String name = Optional.ofNullable(request.getParameter("name")).orElse("");
            String dump = gateway.call(gateway.machine(request.getParameter("machine")), name, AdminServer::threadDump);
            request.setAttribute("name", name);
            request.setAttribute("machine", request.getParameter("machine"));
            request.setAttribute("dump", dump);
            request.setAttribute("rawPath", "/hpadmin/api/instances/" + java.net.URLEncoder.encode(name,
                    java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20") + "/threads");
            forward(request, response, "threads");
        } catch (AdminFailure e) {
            Responses.error(request, response, false, e.status(), e.getMessage());
        }
    }

    private Map<String, String> validate(String host, String port) {
        Integer portNumber = null;
        Map<String, String> errors = new LinkedHashMap<>();
        if (port != null && !port.isBlank()) {
            try {
                portNumber = Integer.valueOf(port.strip());
            } catch (NumberFormatException e) {
                errors.put("port", "a number between 1 and 65535");
            }
        }
        Validator validator = validators.getValidator();
        for (ConstraintViolation<MachineForm> violation : validator.validate(new MachineForm(
                host == null ? null : host.strip(), portNumber))) {
            errors.putIfAbsent(violation.getPropertyPath().toString(), violation.getMessage());
        }
        return errors;
    }

    private static void forward(HttpServletRequest request, HttpServletResponse response, String view)
            throws IOException, ServletException {
        response.setContentType("text/html;charset=UTF-8");
        request.getRequestDispatcher("/WEB-INF/views/" + view + ".jsp").forward(request, response);
    }

    /** Who asks, for the records an action leaves (a shutdown order): the administrator, on the admin pages. */
    static String by(HttpServletRequest request) {
        Object principal = request.getAttribute(Principal.ATTRIBUTE);
        return (principal instanceof Principal p ? p.user() : "?") + " (hpadmin from " + request.getRemoteAddr()
                + ")";
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
