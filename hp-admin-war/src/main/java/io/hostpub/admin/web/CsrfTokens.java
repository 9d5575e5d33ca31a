package io.hostpub.admin.web;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;

/**
 * CSRF tokens {@code expiry.signature}, bound to the principal (its login nonce, or its user name for HTTP Basic)
 * and signed with the installation's web key: stateless, so any clone checks what another clone issued. Every
 * state change (POST) must carry one, as the form field {@code _csrf} or the header {@code X-CSRF-Token}.
 */
final class CsrfTokens {

    static final String FIELD = "_csrf";
    static final String HEADER = "X-CSRF-Token";
    static final Duration LIFETIME = Duration.ofHours(8);

    private final Signer signer;
    private final Clock clock;

    CsrfTokens(Signer signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    String issue(Principal principal) {
        long expiry = clock.instant().plus(LIFETIME).getEpochSecond();
        return expiry + "." + signer.sign("csrf", principal.binding() + "|" + expiry);
    }

    boolean valid(Principal principal, HttpServletRequest request) {
        String token = request.getHeader(HEADER);
        if (token == null) {
            token = request.getParameter(FIELD);
        }
        if (token == null || token.length() > 200) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        try {
            long expiry = Long.parseLong(token.substring(0, dot));
            return expiry >= clock.instant().getEpochSecond()
                    && signer.verify("csrf", principal.binding() + "|" + expiry, token.substring(dot + 1));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
