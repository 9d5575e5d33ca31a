package io.hostpub.admin.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The UI's login: a signed cookie {@code user|expiry|nonce|signature}, HttpOnly and SameSite=Strict, valid on
 * every clone that shares the installation secret (no server-side session, so no sticky load balancing).
 */
final class LoginCookie {

    static final String NAME = "HPADMIN";
    static final Duration LIFETIME = Duration.ofHours(8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Signer signer;
    private final Clock clock;
    private final RevokedLogins revoked;
    private final java.util.function.Function<String, Optional<Access>> accounts;

    /**
     * @param accounts what a user name may do now: the access follows the configuration, not the cookie, so a viewer
     *        removed or an account renamed stops its logins at once
     */
    LoginCookie(Signer signer, Clock clock, RevokedLogins revoked,
            java.util.function.Function<String, Optional<Access>> accounts) {
        this.signer = signer;
        this.clock = clock;
        this.revoked = revoked;
        this.accounts = accounts;
    }

    void issue(HttpServletRequest request, HttpServletResponse response, String user) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        long expiry = clock.instant().plus(LIFETIME).getEpochSecond();
        String payload = b64(user) + "|" + expiry + "|" + HexFormat.of().formatHex(nonce);
        response.addCookie(cookie(request, payload + "|" + signer.sign("login", payload), (int) LIFETIME.toSeconds()));
    }

    /** Logs out: the login ends on every clone of the machine (not only in this browser), and the cookie goes. */
    void clear(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                String[] parts = NAME.equals(cookie.getName()) ? validParts(cookie.getValue()) : null;
                if (parts != null) {
                    revoked.revoke(parts[2], Long.parseLong(parts[1]));
                }
            }
        }
        response.addCookie(cookie(request, "", 0));
    }

    Optional<Principal> read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (NAME.equals(cookie.getName())) {
                Optional<Principal> principal = parse(cookie.getValue());
                if (principal.isPresent()) {
                    return principal;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Principal> parse(String value) {
        String[] parts = validParts(value);
        if (parts == null || revoked.revoked(parts[2])) {
            return Optional.empty();
        }
        String user = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        return accounts.apply(user).map(access -> new Principal(user, access, Principal.Via.LOGIN, parts[2]));
    }

    /** The parts of a cookie value that is well-formed, signed by this installation and not expired; else null. */
    private String[] validParts(String value) {
        if (value == null || value.length() > 512) {
            return null;
        }
        String[] parts = value.split("\\|", -1);
        if (parts.length != 4) {
            return null;
        }
        String payload = parts[0] + "|" + parts[1] + "|" + parts[2];
        if (!signer.verify("login", payload, parts[3])) {
            return null;
        }
        try {
            if (Long.parseLong(parts[1]) < clock.instant().getEpochSecond()) {
                return null;
            }
            Base64.getUrlDecoder().decode(parts[0]);
            return parts;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Cookie cookie(HttpServletRequest request, String value, int maxAge) {
        return adminCookie(request, NAME, value, maxAge);
    }

    /** A cookie of the admin pages: path {@code /hpadmin}, HttpOnly, SameSite=Strict, Secure over HTTPS. */
    static Cookie adminCookie(HttpServletRequest request, String name, String value, int maxAge) {
        Cookie cookie = new Cookie(name, value);
        cookie.setPath(request.getContextPath() + "/hpadmin");
        cookie.setHttpOnly(true);
        cookie.setSecure(request.isSecure());
        cookie.setMaxAge(maxAge);
        cookie.setAttribute("SameSite", "Strict");
        return cookie;
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
