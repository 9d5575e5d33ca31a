package io.hostpub.admin.web;

import jakarta.servlet.http.HttpServletRequest;

/** Request paths inside {@code /hpadmin}. */
final class Paths {

    private Paths() {
    }

    /** The path below {@code /hpadmin}: "/", "/login", "/api/instances/x", ... */
    static String within(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String prefix = request.getContextPath() + "/hpadmin";
        String path = uri.startsWith(prefix) ? uri.substring(prefix.length()) : uri;
        return path.isEmpty() ? "/" : path;
    }

    /** Where to go after logging in: the requested page, if it is a GET of an admin page. */
    static String safeNext(HttpServletRequest request) {
        String path = within(request);
        if (!"GET".equals(request.getMethod()) || path.startsWith("/api/") || !path.matches("/[A-Za-z0-9/_-]*")) {
            return "/";
        }
        String query = request.getQueryString();
        return query == null || query.length() > 1024 ? path : path + "?" + query;
    }
}
