package io.hostpub.admin.web;

import io.hostpub.runtime.audit.AuditEvent;
import io.hostpub.runtime.audit.AuditRecord;
import io.hostpub.runtime.audit.AuditUnavailable;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin pages' and API's part of the audit journal: a change is recorded before it runs (and refused with 503
 * when it cannot be), its outcome after; a change refused by the filter (a forged or missing CSRF token, the read-only
 * role) is recorded as refused; logins and logouts as they happen. Only parameters known to say what an action did
 * are recorded, never the CSRF token or a password.
 */
final class WebAudit {

    /** Set by {@link Responses} to what the answer said, for the outcome record. */
    static final String OUTCOME = WebAudit.class.getName() + ".outcome";
    private static final String PENDING = WebAudit.class.getName() + ".pending";
    private static final System.Logger LOG = System.getLogger(WebAudit.class.getName());
    private static final List<String> RECORDED = List.of("machine", "name", "action", "op", "logger", "level", "pool",
            "connection", "confirm", "job", "node", "scope");

    private WebAudit() {
    }

    private record Pending(AuditEvent event, AuditRecord request) {
    }

    /**
     * Records an admitted change before it runs. Returns false, having answered 503, when the journal cannot record
     * it: the change is not made. A logout is let through either way (it ends a login; refusing it helps no one).
     */
    static boolean before(HttpServletRequest request, HttpServletResponse response, WebSecurity security,
            Principal principal, boolean api) throws java.io.IOException, jakarta.servlet.ServletException {
        AuditEvent event = event(request, principal.user(), principal.access().label());
        try {
            request.setAttribute(PENDING, new Pending(event, security.audit().append(event)));
            return true;
        } catch (AuditUnavailable e) {
            LOG.log(System.Logger.Level.ERROR, security.runtime().name() + ": " + e.getMessage());
            if (Paths.within(request).equals("/logout")) {
                return true;
            }
            Responses.error(request, response, api, HttpServletResponse.SC_SERVICE_UNAVAILABLE, e.getMessage());
            return false;
        }
    }

    /** Records the outcome of a change recorded by {@link #before}; {@code completed} false: it threw. */
    static void after(HttpServletRequest request, HttpServletResponse response, WebSecurity security,
            boolean completed) {
        if (!(request.getAttribute(PENDING) instanceof Pending pending)) {
            return;
        }
        int status = completed ? response.getStatus() : 500;
        Object said = request.getAttribute(OUTCOME);
        String result = (status < 400 ? "ok " : status == 403 || status == 409 ? "refused " : "failed ") + status
                + (said == null ? completed ? "" : ": an error inside the container" : ": " + said);
        record(security, pending.event().outcome(pending.request(), result));
    }

    /** Records a change the filter refused (nothing ran). */
    static void refused(HttpServletRequest request, WebSecurity security, Principal principal, int status,
            String why) {
        record(security, event(request, principal.user(), principal.access().label()).refused("refused " + status
                + ": " + why));
    }

    /** Records a login form's verdict on a user name (never the password). */
    static void login(HttpServletRequest request, WebSecurity security, String user, String role, String result) {
        record(security, new AuditEvent(user == null ? "" : user, role, request.getRemoteAddr(), "page", "login", "",
                new java.util.TreeMap<>(), result, 0));
    }

    /** A record that cannot be written loses only itself: the refusal or login it describes stands either way. */
    private static void record(WebSecurity security, AuditEvent event) {
        try {
            security.audit().append(event);
        } catch (AuditUnavailable e) {
            LOG.log(System.Logger.Level.ERROR, security.runtime().name() + ": " + e.getMessage());
        }
    }

    /** What a POST asks for, from its path and parameters. */
    private static AuditEvent event(HttpServletRequest request, String user, String role) {
        String path = Paths.within(request);
        boolean api = path.startsWith("/api/");
        List<String> segments = api ? ApiServlet.segments(request) : List.of();
        String action;
        String target;
        if (api && segments.size() == 3 && segments.get(0).equals("instances")) {
            action = segments.get(2);
            target = "instance " + segments.get(1);
        } else if (api && segments.size() == 2 && segments.get(0).equals("cluster")) {
            action = "cluster " + segments.get(1);
            target = firstOf(request, "job", "node", "scope", "name");
        } else if (path.equals("/action")) {
            action = String.valueOf(request.getParameter("action"));
            target = "instance " + request.getParameter("name");
        } else if (path.equals("/cluster")) {
            action = "cluster " + request.getParameter("op");
            target = firstOf(request, "name");
        } else if (path.equals("/logout")) {
            action = "logout";
            target = "";
        } else {
            action = "POST " + path;
            target = "";
        }
        if (request.getParameter("machine") != null && target.startsWith("instance ")) {
            target += " on machine " + request.getParameter("machine");
        }
        Map<String, String> arguments = new LinkedHashMap<>();
        for (String name : RECORDED) {
            String value = request.getParameter(name);
            if (value != null) {
                arguments.put(name, value);
            }
        }
        return AuditEvent.requested(user, role, request.getRemoteAddr(), api ? "api" : "page", action, target,
                arguments);
    }

    private static String firstOf(HttpServletRequest request, String... names) {
        for (String name : names) {
            if (request.getParameter(name) != null) {
                return request.getParameter(name);
            }
        }
        return "";
    }
}
