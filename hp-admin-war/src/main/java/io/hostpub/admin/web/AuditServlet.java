package io.hostpub.admin.web;

import io.hostpub.admin.api.json.Json;
import io.hostpub.runtime.audit.AuditFilter;
import io.hostpub.runtime.audit.AuditReader;
import io.hostpub.runtime.audit.AuditRecord;
import io.hostpub.runtime.audit.AuditVerification;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /hpadmin/audit}: the machine's audit journal, newest first, with filters (user, action, target, since) and
 * the walk along its chain on request ({@code verify=yes}); {@code GET /hpadmin/api/audit} answers the same as JSON.
 * Both are reads: a viewer sees them too.
 */
public final class AuditServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** What a request asks of the journal. */
    record Query(AuditFilter filter, int limit, boolean verify) {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        request.setAttribute("title", "audit");
        WebSecurity security = (WebSecurity) request.getAttribute(WebSecurity.ATTRIBUTE);
        try {
            Query query = query(request);
            AuditReader reader = new AuditReader(security.audit().directory());
            request.setAttribute("records", reader.newest(query.filter(), query.limit()).stream().map(Json::toMap)
                    .toList());
            request.setAttribute("journal", security.audit().directory().toString());
            if (query.verify()) {
                request.setAttribute("verification", reader.verify());
            }
            for (String name : List.of("user", "action", "target", "since", "limit")) {
                request.setAttribute("filter_" + name, request.getParameter(name));
            }
            response.setContentType("text/html;charset=UTF-8");
            request.getRequestDispatcher("/WEB-INF/views/audit.jsp").forward(request, response);
        } catch (AdminFailure e) {
            Responses.error(request, response, false, e.status(), e.getMessage());
        }
    }

    /** {@code GET /hpadmin/api/audit}: {@code records} (newest first), {@code verification} when asked for. */
    static void api(HttpServletRequest request, HttpServletResponse response) throws IOException, AdminFailure {
        WebSecurity security = (WebSecurity) request.getAttribute(WebSecurity.ATTRIBUTE);
        Query query = query(request);
        AuditReader reader = new AuditReader(security.audit().directory());
        List<AuditRecord> records = reader.newest(query.filter(), query.limit());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("journal", security.audit().directory().toString());
        answer.put("records", records);
        if (query.verify()) {
            AuditVerification verification = reader.verify();
            Map<String, Object> verified = new LinkedHashMap<>();
            verified.put("intact", verification.intact());
            verified.put("records", verification.records());
            verified.put("files", verification.files());
            verified.put("firstSeq", verification.firstSeq());
            verified.put("lastSeq", verification.lastSeq());
            verified.put("broken", verification.broken().orElse(null));
            verified.put("summary", verification.describe());
            answer.put("verification", verified);
        }
        Responses.document(request, response, 200, answer);
    }

    static Query query(HttpServletRequest request) throws AdminFailure {
        Optional<Instant> since;
        try {
            since = text(request, "since").map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, "since must be an ISO-8601 instant such as"
                    + " 2026-12-03T09:00:00Z");
        }
        int limit = DEFAULT_LIMIT;
        if (text(request, "limit").isPresent()) {
            try {
                limit = Integer.parseInt(text(request, "limit").get());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, "limit must be 1-" + MAX_LIMIT);
            }
        }
        return new Query(new AuditFilter(text(request, "user"), text(request, "action"), text(request, "target"),
                since), limit, "yes".equals(request.getParameter("verify")) || "true".equals(request.getParameter(
                        "verify")));
    }

    private static Optional<String> text(HttpServletRequest request, String name) throws AdminFailure {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        if (value.length() > 200) {
            throw new AdminFailure(AdminFailure.Kind.BAD_REQUEST, "parameter '" + name + "' is too long");
        }
        return Optional.of(value.strip());
    }
}
