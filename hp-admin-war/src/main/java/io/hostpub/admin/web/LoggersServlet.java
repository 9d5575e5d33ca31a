package io.hostpub.admin.web;

import io.hostpub.admin.api.AdminServer;
import io.hostpub.admin.api.json.Json;
import io.hostpub.admin.api.model.LoggerLevel;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /hpadmin/loggers?name=INSTANCE[&filter=TEXT]}: the instance's loggers with the level set on each and the
 * level in force, filtered by a part of the name; an administrator sets a level from each row (the instance page's
 * action, so the same checks and the same audit record).
 */
public final class LoggersServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final int SHOWN = 500;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        String name = Optional.ofNullable(request.getParameter("name")).orElse("");
        String filter = Optional.ofNullable(request.getParameter("filter")).map(String::strip).orElse("");
        try {
            if (filter.length() > 200) {
                throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, "filter is too long");
            }
            AdminGateway gateway = Gateways.of(getServletContext()).orElseThrow(() -> new AdminFailure(
                    AdminFailure.Kind.NO_SUPERVISOR, WebContext.NOT_STARTED));
            String machine = gateway.machine(request.getParameter("machine")).toString();
            List<LoggerLevel> all = gateway.call(gateway.machine(request.getParameter("machine")), name,
                    AdminServer::loggers);
            String wanted = filter.toLowerCase(Locale.ROOT);
            List<LoggerLevel> matching = all.stream().filter(l -> l.name().toLowerCase(Locale.ROOT).contains(wanted))
                    .toList();
            request.setAttribute("title", "loggers of " + name);
            request.setAttribute("name", name);
            request.setAttribute("machine", machine);
            request.setAttribute("filter", filter);
            request.setAttribute("total", all.size());
            request.setAttribute("matching", matching.size());
            request.setAttribute("loggers", matching.stream().limit(SHOWN).map(Json::toMap).toList());
            request.setAttribute("levels", List.of("SEVERE", "WARNING", "INFO", "CONFIG", "FINE", "FINER", "FINEST",
                    "OFF", "ALL"));
            response.setContentType("text/html;charset=UTF-8");
            request.getRequestDispatcher("/WEB-INF/views/loggers.jsp").forward(request, response);
        } catch (AdminFailure e) {
            Responses.error(request, response, false, e.status(), e.getMessage());
        }
    }
}
