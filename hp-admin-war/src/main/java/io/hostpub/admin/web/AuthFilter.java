package io.hostpub.admin.web;

import io.hostpub.runtime.HostpubRuntime;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Guards {@code /hpadmin/*}: the API takes HTTP Basic (or the UI's login cookie), the pages take the login cookie;
 * anonymous requests get 401 (the API with {@code WWW-Authenticate: Basic}, the pages with the login form); every
 * POST but the login itself needs a valid CSRF token (403 without), and a viewer may POST nothing but its logout
 * (403, {@link Access#VIEWER}). Also sets the security headers of every
 * admin response.
 */
public final class AuthFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final String REALM = "hostpub";

    /** The largest request body a state change may carry. */
    static final int MAX_FORM_BYTES = 64 * 1024;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (admitted(request, response)) {
            boolean completed = false;
            try {
                chain.doFilter(request, response);
                completed = true;
            } finally {
                if (request.getAttribute(WebSecurity.ATTRIBUTE) instanceof WebSecurity security) {
                    WebAudit.after(request, response, security, completed);
                }
            }
        } else {
            UnreadBody.discardAfterAnswer(request, response);
        }
    }

    /** Answers and returns false for every request that may not go on; true leaves the answer to the chain. */
    private boolean admitted(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy",
                "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; script-src 'self'; "
                + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-store");

        String path = Paths.within(request);
        boolean api = path.startsWith("/api/") || path.equals("/metrics"); // Prometheus scrapes with Basic
        Optional<HostpubRuntime> runtime = WebContext.runtime(getServletContext());
        if (runtime.isEmpty()) {
            Responses.error(request, response, api, HttpServletResponse.SC_SERVICE_UNAVAILABLE, WebContext.NOT_STARTED);
            return false;
        }
        WebSecurity security = security(runtime.get());
        request.setAttribute(WebSecurity.ATTRIBUTE, security);
        if (path.equals("/login")) {
            return bodyAndParametersAcceptable(request, response, false);
        }
        CredentialCheck.Verdict basic = basic(request, security);
        if (basic instanceof CredentialCheck.Verdict.Wait wait) {
            closeIfBodyUnread(request, response);
            throttled(request, response, api, wait);
            return false;
        }
        Optional<Principal> principal = basic instanceof CredentialCheck.Verdict.Match match
                ? Optional.of(new Principal(basicUser(request), match.access(), Principal.Via.BASIC, "basic:"
                        + basicUser(request)))
                : Optional.empty();
        if (principal.isEmpty() && request.getHeader("Authorization") != null && api) {
            closeIfBodyUnread(request, response);
            challenge(request, response, "wrong user name or password");
            return false;
        }
        if (principal.isEmpty()) {
            principal = security.login().read(request);
        }
        if (principal.isEmpty()) {
            closeIfBodyUnread(request, response);
            if (api) {
                challenge(request, response, "authentication required (HTTP Basic)");
            } else {
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                request.setAttribute("next", Paths.safeNext(request));
                LoginForm.prepare(request, response, security);
                request.getRequestDispatcher("/WEB-INF/views/login.jsp").forward(request, response);
            }
            return false;
        }
        if (!bodyAndParametersAcceptable(request, response, api)) {
            return false;
        }
        request.setAttribute(Principal.ATTRIBUTE, principal.get());
        request.setAttribute("csrfToken", security.csrf().issue(principal.get()));
        request.setAttribute("user", principal.get().user());
        request.setAttribute("access", principal.get().access().label());
        request.setAttribute("readOnly", principal.get().readOnly());
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            if (!"POST".equals(request.getMethod())) {
                closeIfBodyUnread(request, response);
                response.setHeader("Allow", "GET, POST");
                Responses.error(request, response, api, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                        "method " + request.getMethod() + " not allowed");
                return false;
            }
            if (!security.csrf().valid(principal.get(), request)) {
                return refused(request, response, security, principal.get(), api, "missing or invalid CSRF token"
                        + " (send the form's _csrf field, or the header X-CSRF-Token from GET /hpadmin/api/csrf)");
            }
            if (principal.get().readOnly() && !path.equals("/logout")) {
                return refused(request, response, security, principal.get(), api, "user " + principal.get().user()
                        + " has the read-only role (viewer) and may change nothing; log in as the administrator for "
                        + request.getMethod() + " " + path);
            }
            return WebAudit.before(request, response, security, principal.get(), api);
        }
        return true;
    }

    /** A change refused with 403 (recorded in the audit journal); false. */
    private static boolean refused(HttpServletRequest request, HttpServletResponse response, WebSecurity security,
            Principal principal, boolean api, String why) throws IOException, ServletException {
        closeIfBodyUnread(request, response);
        WebAudit.refused(request, security, principal, HttpServletResponse.SC_FORBIDDEN, why);
        Responses.error(request, response, api, HttpServletResponse.SC_FORBIDDEN, why);
        return false;
    }

    /**
     * A refusal answers without parsing the request's body (an anonymous or forged request earns no parsing). Jetty
     * then abandons the connection with a bare FIN when the body has not fully arrived yet, and a client that pooled
     * the connection fails its next request on it ("header parser received no bytes"). Saying {@code Connection:
     * close} makes the end of the connection part of the answer, for both containers, whatever the timing;
     * {@link UnreadBody} then lets the answer reach the client.
     */
    private static void closeIfBodyUnread(HttpServletRequest request, HttpServletResponse response) {
        if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
            response.setHeader("Connection", "close");
        }
    }

    /**
     * Refuses, before anyone reads them, bodies larger than an admin form (413), bodies of unknown length (411: a
     * chunked form was once parsed up to the container's own limit of megabytes) and unparsable query strings or forms
     * (400: a bad percent-encoding once surfaced as a 500); true if the request may go on.
     */
    private static boolean bodyAndParametersAcceptable(HttpServletRequest request, HttpServletResponse response,
            boolean api) throws IOException, ServletException {
        if (request.getContentLengthLong() > MAX_FORM_BYTES) {
            closeIfBodyUnread(request, response);
            Responses.error(request, response, api, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    "request body too large (admin forms are limited to " + MAX_FORM_BYTES / 1024 + " KiB)");
            return false;
        }
        if (request.getContentLengthLong() < 0 && request.getHeader("Transfer-Encoding") != null) {
            closeIfBodyUnread(request, response);
            Responses.error(request, response, api, HttpServletResponse.SC_LENGTH_REQUIRED,
                    "a request body must say its length (Content-Length); admin forms are limited to "
                    + MAX_FORM_BYTES / 1024 + " KiB");
            return false;
        }
        if (!parametersReadable(request)) {
            closeIfBodyUnread(request, response);
            Responses.error(request, response, api, HttpServletResponse.SC_BAD_REQUEST,
                    "malformed query string or form (bad percent-encoding, or larger than the container allows)");
            return false;
        }
        return true;
    }

    /** Parses query and form now; containers throw on bodies over their own limit or on broken encoding. */
    private static boolean parametersReadable(HttpServletRequest request) {
        try {
            request.getParameterMap();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private WebSecurity security(HostpubRuntime runtime) {
        Object cached = getServletContext().getAttribute(WebSecurity.ATTRIBUTE);
        if (cached instanceof WebSecurity security && security.runtime() == runtime) {
            return security;
        }
        WebSecurity security = WebSecurity.of(runtime);
        getServletContext().setAttribute(WebSecurity.ATTRIBUTE, security);
        return security;
    }

    /** The verdict on the request's HTTP Basic credentials; null if it carries none (or unreadable ones). */
    private static CredentialCheck.Verdict basic(HttpServletRequest request, WebSecurity security) {
        String[] pair = basicPair(request);
        return pair == null ? null : security.credentials().check(pair[0], pair[1], request.getRemoteAddr());
    }

    private static String basicUser(HttpServletRequest request) {
        return basicPair(request)[0];
    }

    private static String[] basicPair(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || header.length() > 1024 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    /** 429 with Retry-After: the password was not checked at all. */
    static void throttled(HttpServletRequest request, HttpServletResponse response, boolean api,
            CredentialCheck.Verdict.Wait wait) throws IOException, ServletException {
        long seconds = Math.max(1, (wait.retryAfter().toMillis() + 999) / 1000);
        response.setHeader("Retry-After", String.valueOf(seconds));
        Responses.error(request, response, api, 429, wait.reason() + "; try again in " + seconds + " s");
    }

    private static void challenge(HttpServletRequest request, HttpServletResponse response, String message)
            throws IOException, ServletException {
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        Responses.error(request, response, true, HttpServletResponse.SC_UNAUTHORIZED, message);
    }
}
