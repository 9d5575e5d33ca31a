package io.hostpub.admin.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code /hpadmin/login}: the login form (GET) and the check of what it sends (POST). */
public final class LoginServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String VIEW = "/WEB-INF/views/login.jsp";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        WebSecurity security = (WebSecurity) request.getAttribute(WebSecurity.ATTRIBUTE);
        request.setAttribute("next", next(request));
        LoginForm.prepare(request, response, security);
        request.getRequestDispatcher(VIEW).forward(request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        WebSecurity security = (WebSecurity) request.getAttribute(WebSecurity.ATTRIBUTE);
        String next = next(request);
        CredentialCheck.Verdict verdict = LoginForm.valid(request, security) ? security.credentials().check(
                request.getParameter("user"), request.getParameter("password"), request.getRemoteAddr()) : null;
        if (verdict == null) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            request.setAttribute("loginError", "the login form expired or did not come from this site; try again");
        } else if (verdict instanceof CredentialCheck.Verdict.Wait wait) {
            long seconds = Math.max(1, (wait.retryAfter().toMillis() + 999) / 1000);
            response.setStatus(429);
            response.setHeader("Retry-After", String.valueOf(seconds));
            request.setAttribute("loginError", wait.reason() + "; try again in " + seconds + " s");
        } else if (verdict instanceof CredentialCheck.Verdict.Mismatch) {
            WebAudit.login(request, security, request.getParameter("user"), "", "refused 401: wrong user name or"
                    + " password");
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            request.setAttribute("loginError", "wrong user name or password");
        } else {
            WebAudit.login(request, security, request.getParameter("user"), ((CredentialCheck.Verdict.Match) verdict)
                    .access().label(), "ok: logged in");
            security.login().issue(request, response, request.getParameter("user"));
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", request.getContextPath() + "/hpadmin" + next);
            return;
        }
        request.setAttribute("next", next);
        request.setAttribute("user", request.getParameter("user"));
        LoginForm.prepare(request, response, security);
        request.getRequestDispatcher(VIEW).forward(request, response);
    }

    /** Only a path inside /hpadmin is followed after login. */
    private static String next(HttpServletRequest request) {
        String next = request.getParameter("next");
        if (next == null || !next.matches("/[A-Za-z0-9/_-]*(\\?[A-Za-z0-9=&%._:+\\-\\[\\]]*)?") || next.startsWith("//")
                || next.length() > 1100) {
            return "/";
        }
        return next;
    }
}
