package io.hostpub.admin.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code POST /hpadmin/logout} (CSRF-checked by the filter): ends the login on every clone, clears the cookie. */
public final class LogoutServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
        WebSecurity security = (WebSecurity) request.getAttribute(WebSecurity.ATTRIBUTE);
        security.login().clear(request, response);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + "/hpadmin/login");
    }
}
