package io.hostpub.admin.web;

import io.hostpub.admin.api.wire.InstallationSecret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Signs what the admin web layer hands to browsers (login cookies, CSRF tokens) with a key derived from the
 * installation secret, so any clone of the machine, or of machines sharing the secret, accepts what another
 * clone issued: a load balancer may send each request elsewhere.
 */
final class Signer {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final InstallationSecret secret;

    Signer(InstallationSecret secret) {
        this.secret = secret;
    }

    String sign(String purpose, String payload) {
        return B64.encodeToString(secret.mac(bytes("hostpub-web-v1"), bytes(purpose), bytes("\n"), bytes(payload)));
    }

    boolean verify(String purpose, String payload, String signature) {
        return signature != null && MessageDigest.isEqual(bytes(sign(purpose, payload)), bytes(signature));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
