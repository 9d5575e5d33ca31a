package io.hostpub.admin.web;

import io.hostpub.admin.api.json.Json;
import io.hostpub.admin.api.model.MachineEvent;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /hpadmin/events[?instance=NAME]}: the machine's event journal, newest first, of every instance that ran on
 * it or of one (all its lives, its departure included); {@code GET /hpadmin/api/events} answers the same as JSON.
 */
public final class EventsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final int DEFAULT_LIMIT = 200;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        try {
            AdminGateway gateway = gateway(request);
            var machine = gateway.machine(request.getParameter("machine"));
            List<MachineEvent> events = read(request, gateway);
            request.setAttribute("title", "events");
            request.setAttribute("machine", machine.toString());
            request.setAttribute("instance", request.getParameter("instance"));
            request.setAttribute("events", events.stream().map(Json::toMap).toList());
            response.setContentType("text/html;charset=UTF-8");
            request.getRequestDispatcher("/WEB-INF/views/events.jsp").forward(request, response);
        } catch (AdminFailure e) {
            Responses.error(request, response, false, e.status(), e.getMessage());
        }
    }

    /** {@code GET /hpadmin/api/events[?instance=&limit=&machine=]}: {@code events}, newest first. */
    static void api(HttpServletRequest request, HttpServletResponse response, AdminGateway gateway)
            throws IOException, AdminFailure {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("machine", gateway.machine(request.getParameter("machine")).toString());
        answer.put("events", read(request, gateway));
        Responses.document(request, response, 200, answer);
    }

    /** The newest events the request asks for, newest first, read by the machine's supervisor. */
    private static List<MachineEvent> read(HttpServletRequest request, AdminGateway gateway) throws AdminFailure {
        String instance = request.getParameter("instance");
        if (instance != null && (instance.isBlank() || instance.length() > 200)) {
            instance = instance.isBlank() ? null : instance.substring(0, 200);
        }
        int limit = DEFAULT_LIMIT;
        String text = request.getParameter("limit");
        if (text != null && !text.isBlank()) {
            try {
                limit = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                limit = 0;
            }
            if (limit < 1 || limit > 1_000) {
                throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, "limit must be 1-1000");
            }
        }
        String name = instance;
        int max = limit;
        List<MachineEvent> events = new ArrayList<>(gateway.call(gateway.machine(request.getParameter("machine")),
                "main", admin -> admin.machineEvents(max, name)));
        Collections.reverse(events);
        return events;
    }

    static AdminGateway gateway(HttpServletRequest request) throws AdminFailure {
        return Gateways.of(request.getServletContext()).orElseThrow(() -> new AdminFailure(
                AdminFailure.Kind.NO_SUPERVISOR, WebContext.NOT_STARTED));
    }
}
