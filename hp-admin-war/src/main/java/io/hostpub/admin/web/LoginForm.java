package io.hostpub.admin.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The login form's own CSRF defence (before there is a principal): a random cookie and a form field carrying its
 * signature; a cross-site form can set neither.
 */
final class LoginForm {

    static final String COOKIE = "HPLOGIN";
    private static final SecureRandom RANDOM = new SecureRandom();

    private LoginForm() {
    }

    /** Sets the cookie and the request attribute {@code loginToken} the login view puts in its form. */
    static void prepare(HttpServletRequest request, HttpServletResponse response, WebSecurity security) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String value = HexFormat.of().formatHex(nonce);
        response.addCookie(LoginCookie.adminCookie(request, COOKIE, value, -1));
        request.setAttribute("loginToken", security.signer().sign("login-form", value));
    }

    static boolean valid(HttpServletRequest request, WebSecurity security) {
        Cookie[] cookies = request.getCookies();
        String token = request.getParameter(CsrfTokens.FIELD);
        if (cookies == null || token == null) {
            return false;
        }
        for (Cookie cookie : cookies) {
            if (COOKIE.equals(cookie.getName()) && cookie.getValue() != null && cookie.getValue().length() <= 64
                    && security.signer().verify("login-form", cookie.getValue(), token)) {
                return true;
            }
        }
        return false;
    }
}
